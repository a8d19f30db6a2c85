import { describe, expect, it } from "vitest";
import { auditActionLabel } from "../../../common/audit/audit.labels";
import { auditSubject } from "./auditSubject";

const ID = "0c9e2b7a-5d41-4f38-8a6e-1f2d3c4b5a69";

describe("the journal's « Concerne »", () => {
  it("a site's closure, recorded or lifted, concerns no one: empty, not its action's words again", () => {
    for (const action of ["site.closed", "site.closure_lifted"]) {
      expect(auditActionLabel(action)).toMatch(/^Fermeture d'un lieu/);
      expect(auditSubject({ targetType: "site_closure", targetId: ID, subjectName: null })).toBeNull();
    }
  });

  it("the other kinds keep what they said: people and agents named, an account, the element's kind", () => {
    expect(auditSubject({ targetType: "person", targetId: ID, subjectName: "BENALI Karim" })).toEqual({
      kind: "Dossier",
      names: ["BENALI Karim"],
    });
    expect(auditSubject({ targetType: "user", targetId: ID, subjectName: "Inès Moreau" })).toEqual({
      kind: "Agent",
      names: ["Inès Moreau"],
    });
    expect(auditSubject({ targetType: "account", targetId: "a@b.fr", subjectName: null })).toEqual({
      text: "Compte — a@b.fr",
    });
    expect(auditSubject({ targetType: "convention", targetId: ID, subjectName: null })).toEqual({
      text: "Convention",
    });
    expect(auditSubject({ targetType: "people", targetId: "", subjectName: null })).toBeNull();
  });
});
