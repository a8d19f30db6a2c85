import { describe, expect, it } from "vitest";
import { shortenedLabel } from "./chartLabel";

describe("shortenedLabel", () => {
  const longest = "Domiciliation (CCAS ou association agréée)";

  it("keeps every label whole on a desktop-wide chart", () => {
    expect(shortenedLabel(longest, 1200)).toBe(longest);
  });

  it("cuts a long label with an ellipsis on a phone-wide chart, within two fifths of its width", () => {
    const shown = shortenedLabel(longest, 358);
    expect(shown).toBe("Domiciliation (CCAS o…");
    expect(shown.length * 6.5).toBeLessThanOrEqual(358 * 0.4);
  });

  it("leaves a short label alone however narrow the chart, and never cuts below 12 characters", () => {
    expect(shortenedLabel("La Poste", 100)).toBe("La Poste");
    expect(shortenedLabel("Ministère de la Justice", 100)).toBe("Ministère d…");
  });
});
