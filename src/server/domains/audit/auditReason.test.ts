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

  it("names every filter of the people list as its page does, never by its code", () => {
    const read = (query: string) => plain(describeRead("GET /api/people", query, nameOf));
    // The default (open files only) goes without saying.
    expect(read("?fileState=active")).toBe("Liste des personnes");
    expect(read("?fileState=active&page=2")).toBe("Liste des personnes (page 2)");
    expect(read("?status=semi_liberte&fileState=closed")).toBe(
      "Liste des personnes (situation « Semi-liberté », dossiers clos)",
    );
    expect(read("?fileState=all&openDemarche=true&upcoming=true&withoutConvocationWeeks=8")).toBe(
      "Liste des personnes (tous les dossiers, avec une démarche en cours, avec une convocation à venir, sans convocation depuis 8 semaines)",
    );
    // A message's status keeps its own words.
    expect(
      plain(describeRead("GET /api/structures/:structureId/notifications", "?status=failed", nameOf)),
    ).toBe("Journal des SMS et courriels (statut « Échec »)");
    expect(
      plain(describeRead("GET /api/reporting/list", "?from=2026-01&to=2026-03&kind=demarches", nameOf)),
    ).toBe("Liste nominative derrière un chiffre de janvier 2026 à mars 2026 (démarches engagées)");
  });

  it("a period of one month is said once, in French (outside review)", () => {
    expect(
      plain(describeRead("GET /api/reporting/list", "?from=2026-12&to=2026-12&kind=people", nameOf)),
    ).toBe("Liste nominative derrière un chiffre décembre 2026 (personnes accompagnées)");
    expect(renderAuditReason("collective_action.figures_read", "2026-12 – 2026-12 (exacts)", nameOf)).toBe(
      "décembre 2026 (chiffres exacts)",
    );
  });

  it("older rows of lists, exports and visits read in French, counts agreeing (outside review)", () => {
    expect(renderAuditReason("reporting.list", "2026-06..2026-11, 18 lignes", nameOf)).toBe(
      "Liste nominative derrière un chiffre, de juin 2026 à novembre 2026 ; 18 lignes",
    );
    expect(
      renderAuditReason(
        "reporting.nominativeExport",
        "csv, 2026-12..2026-12, 1 lignes, à supprimer au plus tard le 5 janvier 2027",
        nameOf,
      ),
    ).toBe("Export nominatif CSV, décembre 2026 ; 1 ligne ; à supprimer au plus tard le 5 janvier 2027");
    expect(renderAuditReason("audit.exported", "csv, 0 lignes, personne concernée", nameOf)).toBe(
      "csv, 0 ligne, personne concernée",
    );
    expect(
      renderAuditReason(
        "visit.recorded",
        "0 démarche(s) mise(s) à jour, 2 créée(s), 1 besoin(s) évalué(s)",
        nameOf,
      ),
    ).toBe("0 démarche mise à jour, 2 créées, 1 besoin évalué");
  });

  it("a read of the journal says what it was filtered on: a person only when it was", () => {
    const structure = "structureId=11111111-1111-4111-8111-111111111111";
    const agent = "22222222-2222-4222-8222-222222222222";
    const agentName = (id: string) => (id === agent ? "Claire Martin" : undefined);
    const read = (query: string) =>
      plain(describeRead("GET /api/audit", `?${structure}&${query}`, agentName));
    expect(read("personId=33333333-3333-4333-8333-333333333333")).toBe(
      "Journal des accès filtré sur une personne",
    );
    expect(read("action=document.shared")).toBe(
      "Consultation du journal des accès (action : Partage d'un document)",
    );
    expect(read(`actorUserId=${agent}&outcome=denied`)).toBe(
      "Consultation du journal des accès (agent : Claire Martin, résultat : Refusé)",
    );
    expect(read("from=2026-12-01&to=2026-12-02")).toBe(
      "Consultation du journal des accès du mardi 1er au mercredi 2 décembre 2026",
    );
    expect(read("targetId=44444444-4444-4444-8444-444444444444")).toBe(
      "Consultation du journal des accès (élément : désigné par son identifiant)",
    );
    expect(plain(describeRead("GET /api/audit", `?${structure}`, agentName))).toBe(
      "Consultation du journal des accès",
    );
  });
});

const ids = {
  meeting: "22222222-2222-4222-8222-222222222222",
  transfer: "33333333-3333-4333-8333-333333333333",
  demarche: "44444444-4444-4444-8444-444444444444",
  structure: "55555555-5555-4555-8555-555555555555",
  file: "66666666-6666-4666-8666-666666666666",
  action: "77777777-7777-4777-8777-777777777777",
  series: "88888888-8888-4888-8888-888888888888",
  unknown: "99999999-9999-4999-8999-999999999999",
};
const older: Record<string, string> = {
  ...names,
  [ids.meeting]: "réunion du lundi 1er juin 2026 à 10 h 00",
  [ids.transfer]: "transfert de SPIP 77 vers SPIP 91",
  [ids.demarche]: "Revenu de solidarité active (RSA)",
  [ids.structure]: "SPIP 77",
  [ids.action]: "« Forum de l'emploi »",
  [ids.series]: "« Groupe logement »",
};
const olderName = (id: string) => older[id];
const rendered = (action: string, reason: string) => plain(renderAuditReason(action, reason, olderName));

describe("renderAuditReason", () => {
  it("an older read of the journal titled « filtré sur une personne » that names nobody is a consultation", () => {
    const older = "Journal des accès filtré sur une personne (action : Connexion (mot de passe))";
    expect(renderAuditReason("person.data_read", older, olderName, "")).toBe(
      "Consultation du journal des accès (action : Connexion (mot de passe))",
    );
    expect(renderAuditReason("person.data_read", older, olderName, "p-1")).toBe(older);
  });

  it("names what older rows quoted by id, and leaves out an id with no name", () => {
    expect(rendered("transfer.proposed", `transfert ${ids.transfer} avec consentement`)).toBe(
      "transfert de SPIP 77 vers SPIP 91 avec consentement",
    );
    expect(rendered("transfer.cancelled", `transfert ${ids.unknown}`)).toBe("transfert");
    expect(rendered("handover.scheduled", `réunion ${ids.meeting}, 3 participant(s)`)).toBe(
      "réunion du lundi 1er juin 2026 à 10 h 00, 3 participant(s)",
    );
    expect(rendered("handover.held", `réunion ${ids.unknown} tenue, consentement : écrit`)).toBe(
      "réunion tenue, consentement : écrit",
    );
    expect(
      rendered(
        "handover.transmitted",
        `passage de relais ${ids.meeting} : dossier reçu de la structure ${ids.structure} (dossier d'origine ${ids.file}), référent Paul Martin`,
      ),
    ).toBe(
      "passage de relais (réunion du lundi 1er juin 2026 à 10 h 00) : dossier reçu de SPIP 77, référent Paul Martin",
    );
    expect(rendered("demarche.created", `plan de sortie : caf-rsa (démarche ${ids.demarche})`)).toBe(
      "plan de sortie : Revenu de solidarité active (RSA)",
    );
    expect(rendered("demarche.created", `plan de sortie : caf-rsa (démarche ${ids.unknown})`)).toBe(
      "plan de sortie : caf-rsa",
    );
    expect(rendered("convocation.booked", `personne ${ids.file} ; action collective ${ids.action}`)).toBe(
      "action collective « Forum de l'emploi »",
    );
    expect(rendered("convocation.booked", `personne ${ids.file}`)).toBe("");
    expect(rendered("convocation.booked", `report de ${ids.unknown}`)).toBe("rendez-vous reporté");
    expect(
      rendered(
        "collective_action.member_removed",
        `série ${ids.series} ; 2 invitation(s) à venir annulée(s)`,
      ),
    ).toBe("groupe de travail « Groupe logement » ; 2 invitation(s) à venir annulée(s)");
    expect(
      rendered(
        "collective_action.created",
        `réunion suivante de la série ${ids.series} ; 4 membre(s) invité(s)`,
      ),
    ).toBe("réunion suivante du groupe de travail « Groupe logement » ; 4 membre(s) invité(s)");
    expect(rendered("document.download", `document ${ids.unknown} (identity), accès par un partage`)).toBe(
      "Pièce d'identité, accès par un partage",
    );
    expect(
      rendered("document.uploaded", `document ${ids.unknown} (proof, application/pdf, 1200 octets)`),
    ).toBe("Justificatif (application/pdf, 1200 octets)");
    expect(
      rendered(
        "document.shared",
        `document ${ids.unknown} (identity) → structure ; base légale : consentement ; suivi`,
      ),
    ).toBe("Pièce d'identité partagé avec une autre structure ; base légale : consentement ; suivi");
    expect(
      rendered(
        "document.share_withdrawn",
        `document ${ids.unknown} (identity), partage ${ids.unknown} (outside)`,
      ),
    ).toBe("Pièce d'identité : fin du partage (partagé hors de Passerelle)");
    expect(rendered("opening_rule.changed", `à partir du 2026-06-01, remplacée par ${ids.unknown}`)).toBe(
      "à partir du 1er juin 2026",
    );
    expect(rendered("x", `dossier ${ids.file} (vu)`)).toBe("dossier (vu)");
  });

  it("renders an older export's filters with the page's labels", () => {
    expect(
      rendered(
        "audit.exported",
        `csv, 3 lignes, du 2026-06-01 au 2026-06-02, personne ${ids.file}, agent ${ids.unknown}, action person.read, résultat denied`,
      ),
    ).toBe(
      "csv, 3 lignes, du 1er juin 2026 au 2 juin 2026, personne concernée, agent : non trouvé, action : Consultation d'un dossier, résultat : Refusé",
    );
  });

  it("leaves the details the writers now write as they are", () => {
    for (const reason of [
      "transfert de SPIP 77 vers SPIP 91, avec consentement",
      "réunion du lundi 1er juin 2026 à 10 h 00 déplacée au mardi 2 juin 2026 à 10 h 00",
      "plan de sortie : Revenu de solidarité active (RSA), à faire avant le 1er juillet 2026",
      "groupe de travail « Groupe logement » ; invité(e) à 2 réunion(s) à venir",
      "Pièce d'identité « Carte » : fin du partage (partagé hors de Passerelle)",
    ])
      expect(rendered("x", reason)).toBe(reason);
  });

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
