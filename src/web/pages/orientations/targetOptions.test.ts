import { describe, expect, it } from "vitest";
import { orientationTargets } from "../../../common/orientations/orientations.schema";
import { PHONE_OPTION_CHARS, targetOptions } from "./targetOptions";

describe("the « Vers » options", () => {
  it("each fit a phone's select, the detail left to the hint", () => {
    for (const target of orientationTargets) {
      expect(targetOptions[target].label.length, target).toBeLessThanOrEqual(PHONE_OPTION_CHARS);
      // The hint goes inside the label: no « vers » there, which getByLabel("Vers") would also match.
      expect(targetOptions[target].hint.toLowerCase(), target).not.toContain("vers");
    }
  });
});
