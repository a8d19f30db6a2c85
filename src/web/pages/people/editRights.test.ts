import { describe, expect, it } from "vitest";
import { editRefusalText } from "./editRights";

const retention = { archivedAt: null, mayRestore: false, mayExportData: false };

describe("editRefusalText", () => {
  it("names the referent who may convoke", () => {
    const file = {
      closure: null,
      retention,
      referent: { userId: "u", displayName: "Claire Martin", since: "2026-01-01" },
    };
    expect(editRefusalText(file, "convoquer cette personne")).toBe(
      "Seul·e le ou la CPIP référent·e de la personne (Claire Martin) ou la direction de la structure peut convoquer cette personne.",
    );
  });

  it("says a closed or archived file must be reopened first", () => {
    const closure = { closedAt: "2026-01-01", reason: "end_of_measure" } as never;
    expect(
      editRefusalText({ closure, retention, referent: null }, "proposer le transfert de ce dossier"),
    ).toBe("Le dossier est clos : il faut le rouvrir pour proposer le transfert de ce dossier.");
    expect(
      editRefusalText(
        { closure: null, retention: { ...retention, archivedAt: "2026-01-01" }, referent: null },
        "convoquer cette personne",
      ),
    ).toMatch(/archivé/);
  });
});
