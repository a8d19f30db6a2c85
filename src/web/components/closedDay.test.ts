import { describe, expect, it } from "vitest";
import { closedDayWarning } from "./closedDay";

describe("closedDayWarning", () => {
  it("names the public holiday, or the weekend day", () => {
    expect(closedDayWarning("2026-12-25", "77")).toBe("Ce jour est férié (Noël).");
    expect(closedDayWarning("2027-05-06", "77")).toBe("Ce jour est férié (Ascension).");
    expect(closedDayWarning("2026-12-05", "77")).toBe("Ce jour est un samedi.");
    expect(closedDayWarning("2026-12-06", "77")).toBe("Ce jour est un dimanche.");
    // A holiday on a Sunday (15 August 2027) is named as a holiday.
    expect(closedDayWarning("2027-08-15", "77")).toBe("Ce jour est férié (Assomption).");
  });
  it("knows Alsace-Moselle's two more holidays", () => {
    expect(closedDayWarning("2027-03-26", "67")).toBe("Ce jour est férié (Vendredi Saint).");
    expect(closedDayWarning("2027-03-26", "77")).toBeNull();
  });
  it("says nothing on a working day, an incomplete date or without a département", () => {
    expect(closedDayWarning("2026-12-07", "77")).toBeNull();
    expect(closedDayWarning("", "77")).toBeNull();
    expect(closedDayWarning("2026-13-45", "77")).toBeNull();
    expect(closedDayWarning("2026-12-25", null)).toBe("Ce jour est férié (Noël).");
  });
});
