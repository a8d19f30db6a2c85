import { describe, expect, it } from "vitest";
import { describeRead, renderAuditReason } from "./auditReason";

const names: Record<string, string> = { "11111111-1111-4111-8111-111111111111": "Meaux" };
const nameOf = (id: string) => names[id];
const plain = (text: string) => text.replaceAll("\u00a0", " ");

describe("describeRead", () => {
  it("says what was read, over which days, where, in French", () => {
    expect(plain(describeRead("GET /api/convocations", "?from=2026-11-30&to=2026-12-06", nameOf))).toBe(
      "Liste des convocations du lundi 30 novembre au dimanche 6 décembre 2026",
    );
    expect(
      plain(
        describeRead(
          "GET /api/convocations",
          "?siteId=11111111-1111-4111-8111-111111111111&toFillIn=true",
          nameOf,
        ),
      ),
    ).toBe("Liste des convocations (lieu : Meaux, visites à saisir)");
    expect(plain(describeRead("GET /api/sites/:siteId/movements", "?date=2026-12-02", nameOf))).toBe(
      "Liste des mouvements de l'établissement du mercredi 2 décembre 2026",
    );
    expect(describeRead("GET /api/people", "?search=Benali&page=2", nameOf)).toBe(
      "Liste des personnes (recherche « Benali », page 2)",
    );
    expect(describeRead("GET /api/people/:personId/notes", "", nameOf)).toBe("Notes de la personne");
  });
});

describe("renderAuditReason", () => {
  it("renders the older formats and leaves French details as they are", () => {
    expect(
      renderAuditReason("person.data_read", "GET /api/people/:personId/notes ; person.notFound", nameOf),
    ).toMatch(/^Notes de la personne ; refusé : .+/);
    expect(renderAuditReason("auth.proconnect", "mfa stage:totp_pending", nameOf)).toBe(
      "double authentification faite chez ProConnect, code de double authentification demandé",
    );
    expect(renderAuditReason("auth.login", "bad_credentials", nameOf)).toBe(
      "identifiant ou mot de passe incorrect",
    );
    expect(
      plain(
        renderAuditReason("x", "à partir du 2026-06-01, lieu 11111111-1111-4111-8111-111111111111", nameOf),
      ),
    ).toBe("à partir du 1er juin 2026, lieu Meaux");
    const french = "Recueil du consentement par écrit";
    expect(renderAuditReason("consent.recorded", french, nameOf)).toBe(french);
    expect(renderAuditReason("auth.login", "", nameOf)).toBe("");
  });
});
