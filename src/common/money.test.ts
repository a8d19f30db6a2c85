import { describe, expect, it } from "vitest";
import { formatEuros, typedEuros } from "./money";

describe("amounts in euros", () => {
  it("are written the French way: « 40 000 € »", () => {
    // Intl groups thousands with a narrow no-break space; the euro sign follows a space.
    expect(formatEuros(40_000).replace(/\s/g, " ")).toBe("40 000 €");
    expect(formatEuros(1_500).replace(/\s/g, " ")).toBe("1 500 €");
    expect(formatEuros(950)).toBe("950 €");
  });

  it("are read from what was typed, spaces and the euro sign aside", () => {
    expect(typedEuros("40 000")).toBe(40_000);
    expect(typedEuros("40\u202f000 €")).toBe(40_000);
    expect(typedEuros(" ")).toBeUndefined();
    expect(typedEuros("quarante")).toBeNaN();
    expect(typedEuros("12,5")).toBe(12.5);
  });
});
