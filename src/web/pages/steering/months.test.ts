import { describe, expect, it } from "vitest";
import { monthNames, YEARS_BACK, yearChoices } from "./months";

describe("the period's month and year choices", () => {
  it("names the twelve months in French, January first", () => {
    expect(monthNames).toHaveLength(12);
    expect([monthNames[0], monthNames[7], monthNames[11]]).toEqual(["janvier", "août", "décembre"]);
  });

  it("offers this year first, back to YEARS_BACK years before it", () => {
    const years = yearChoices(2026, "2025-12");
    expect(years[0]).toBe(2026);
    expect(years.at(-1)).toBe(2026 - YEARS_BACK);
    expect(years).toHaveLength(YEARS_BACK + 1);
  });

  it("keeps a chosen year outside that range, so the select shows the value it holds", () => {
    expect(yearChoices(2026, "2009-03")).toContain(2009);
    expect(yearChoices(2026, "2009-03").at(-1)).toBe(2009);
    expect(yearChoices(2026, "")).toHaveLength(YEARS_BACK + 1);
  });
});
