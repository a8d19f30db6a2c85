import { describe, expect, it } from "vitest";
import type { ConsentView } from "../../../common/consent/consent.schema";
import { missingConsentText, withdrawnOn } from "./consentWording";

const given = (overrides: Partial<ConsentView> = {}): ConsentView => ({
  id: "c1",
  domains: [],
  shareDemarcheDetails: true,
  shareNotes: false,
  recipients: ["association"],
  partners: [],
  purpose: "Accès aux droits",
  collectedByName: "Camille Martin",
  collectedAt: "2026-11-02T09:00:00.000Z",
  revokedAt: null,
  revokedByName: null,
  ...overrides,
});
const withdrawn = given({ revokedAt: "2026-12-03T23:30:00.000Z", revokedByName: "Camille Martin" });

describe("the orientation form's notice of a missing consent", () => {
  it("a withdrawn consent is said withdrawn, with its Paris day, and what to do next", () => {
    const consent = { active: null, history: [withdrawn], permissions: { record: true } };
    expect(withdrawnOn(consent)).toBe("04/12/2026");
    const { missing, todo } = missingConsentText({
      partnerName: "CAF de Seine-et-Marne",
      consent,
      iae: false,
    });
    expect(missing).toBe(
      "Le consentement de la personne au partage d'informations a été retiré le 04/12/2026",
    );
    expect(missing).not.toContain("aucun consentement");
    expect(todo).toMatch(/^Si elle consent de nouveau, enregistrez un nouveau consentement/);
    const readOnly = missingConsentText({
      partnerName: null,
      consent: { ...consent, permissions: { record: false } },
      iae: false,
    });
    expect(readOnly.missing).toContain("a été retiré le 04/12/2026");
    expect(readOnly.todo).toMatch(/^Si elle consent de nouveau, son CPIP référent/);
  });

  it("no consent ever given, a consent in force not naming the organisation: as before", () => {
    const none = { active: null, history: [], permissions: { record: true } };
    expect(withdrawnOn(none)).toBeNull();
    expect(missingConsentText({ partnerName: null, consent: none, iae: false }).missing).toBe(
      "La personne n'a encore donné aucun consentement au partage d'informations",
    );
    // A replaced consent leaves one in force: not "withdrawn".
    const replaced = {
      active: given({ id: "c2" }),
      history: [given({ id: "c2" }), withdrawn],
      permissions: { record: true },
    };
    expect(withdrawnOn(replaced)).toBeNull();
    expect(
      missingConsentText({ partnerName: "CAF de Seine-et-Marne", consent: replaced, iae: false }).missing,
    ).toBe("La personne n'a pas consenti au partage d'informations avec CAF de Seine-et-Marne");
    expect(missingConsentText({ partnerName: null, consent: replaced, iae: true }).missing).toBe(
      "Le consentement de la personne ne nomme aucun de ces employeurs IAE",
    );
  });
});
