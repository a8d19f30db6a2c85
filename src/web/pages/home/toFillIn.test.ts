import { describe, expect, it } from "vitest";
import { NOTHING_TO_FILL_IN, toFillInText } from "./toFillIn";

const of = (...statuses: string[]) => statuses.map((status) => ({ status }));

describe("toFillInText", () => {
  it("says which convocations are left to fill in: without a status, or with the visit to record", () => {
    expect(toFillInText([])).toBe("Aucune convocation passée à renseigner.");
    expect(toFillInText(of("planned"))).toBe("1 convocation passée à renseigner.");
    expect(toFillInText(of("planned", "planned"))).toBe("2 convocations passées à renseigner.");
    expect(toFillInText(of("honoured"))).toBe(
      "1 convocation passée à renseigner : honorée, sa visite reste à saisir.",
    );
    expect(toFillInText(of("honoured", "honoured"))).toBe(
      "2 convocations passées à renseigner : honorées, leurs visites restent à saisir.",
    );
    expect(toFillInText(of("planned", "planned", "honoured"))).toBe(
      "3 convocations passées à renseigner : 2 sans statut, 1 honorée dont la visite reste à saisir.",
    );
  });
});

describe("NOTHING_TO_FILL_IN", () => {
  it("covers both things « à renseigner » means: every past convocation has a status, every honoured one its visit", () => {
    expect(NOTHING_TO_FILL_IN).toBe(
      "Rien à renseigner : toutes les convocations passées ont un statut, et celles honorées leur visite.",
    );
  });
});
