import { describe, expect, it } from "vitest";
import type { DemarcheView } from "../../../common/accompaniment/accompaniment.schema";
import { alreadyOpenText, openDemarcheOfType, repeatedInVisit } from "./openDemarche";

const demarche = (over: Partial<DemarcheView>): DemarcheView => ({
  id: "d",
  demarcheTypeId: "apl",
  partnerName: "CAF",
  label: "APL",
  category: null,
  helpLevel: "guided",
  status: "in_progress",
  outcome: "",
  nextStep: "",
  dueDate: null,
  timeSpentMinutes: 0,
  documents: [],
  createdAt: "2026-11-03T10:00:00.000Z",
  updatedAt: "2026-11-03T10:00:00.000Z",
  history: [],
  ...over,
});

describe("openDemarcheOfType", () => {
  it("finds the oldest open démarche of the chosen type", () => {
    const list = [
      demarche({ id: "new", createdAt: "2026-11-20T10:00:00.000Z" }),
      demarche({ id: "old", createdAt: "2026-10-01T10:00:00.000Z", status: "waiting_documents" }),
      demarche({ id: "other", demarcheTypeId: "rsa" }),
    ];
    expect(openDemarcheOfType(list, "apl")?.id).toBe("old");
  });

  it("ignores closed démarches, other types and an empty choice", () => {
    const list = [
      demarche({ status: "granted" }),
      demarche({ status: "abandoned" }),
      demarche({ demarcheTypeId: null }),
    ];
    expect(openDemarcheOfType(list, "apl")).toBeNull();
    expect(openDemarcheOfType([demarche({})], "")).toBeNull();
  });

  it("names the démarche and the day it began", () => {
    expect(alreadyOpenText(demarche({}))).toBe("Une démarche APL est déjà en cours depuis le 03/11/2026.");
  });
});

describe("repeatedInVisit", () => {
  const row = (demarcheTypeId: string) => ({ demarcheTypeId });

  it("a new row of a type already open on the file: said, pointing to the update above", () => {
    expect(repeatedInVisit([row("apl")], 0, [demarche({})])).toBe(
      "Une démarche APL est déjà en cours depuis le 03/11/2026. Mettez-la à jour plus haut plutôt que d'en commencer une autre.",
    );
  });

  it("the same type on two new rows of the visit: the second says which row it repeats", () => {
    const rows = [row("rsa"), row("apl"), row("rsa")];
    expect(repeatedInVisit(rows, 0, [])).toBeNull();
    expect(repeatedInVisit(rows, 1, [])).toBeNull();
    expect(repeatedInVisit(rows, 2, [])).toBe(
      "Démarche déjà ajoutée plus haut (nouvelle démarche 1) : elle serait enregistrée deux fois.",
    );
  });

  it("nothing for an empty choice or a type only closed on the file", () => {
    expect(repeatedInVisit([row(""), row("")], 1, [])).toBeNull();
    expect(repeatedInVisit([row("apl")], 0, [demarche({ status: "granted" })])).toBeNull();
  });
});
