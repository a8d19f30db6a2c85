import { describe, expect, it } from "vitest";
import { responseDelay } from "./responseDelay";

describe("responseDelay", () => {
  it("an answer within the hour is not « 0 h »", () => {
    expect(responseDelay(0)).toBe("moins d'une heure");
    expect(responseDelay(0.6)).toBe("moins d'une heure");
  });

  it("in hours up to two days, then in days", () => {
    expect(responseDelay(1)).toBe("1 h");
    expect(responseDelay(30.5)).toBe("30 h");
    expect(responseDelay(47.9)).toBe("47 h");
    expect(responseDelay(48)).toBe("2 jours");
    expect(responseDelay(24 * 9 + 5)).toBe("9 jours");
  });
});
