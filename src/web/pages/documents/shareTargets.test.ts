import { describe, expect, it } from "vitest";
import { type ShareTarget, shareTargetGroups } from "./shareTargets";

const target = (label: string, consent: boolean): ShareTarget => ({ orientationId: label, label, consent });

describe("shareTargetGroups", () => {
  it("says « sans consentement de la personne » once, as the label of a group", () => {
    const groups = shareTargetGroups([target("CAF", false), target("CPAM", true), target("SIAO", false)]);
    expect(groups.map((g) => g.label)).toEqual([
      "Avec le consentement de la personne",
      "Sans consentement de la personne",
    ]);
    expect(groups.map((g) => g.targets.map((t) => t.label))).toEqual([["CPAM"], ["CAF", "SIAO"]]);
  });
  it("keeps one group when all the orientations lack a consent, none when all have one", () => {
    expect(shareTargetGroups([target("CAF", false)]).map((g) => g.label)).toEqual([
      "Sans consentement de la personne",
    ]);
    expect(shareTargetGroups([target("CAF", true), target("CPAM", true)])).toEqual([
      { label: null, targets: [target("CAF", true), target("CPAM", true)] },
    ]);
  });
});
