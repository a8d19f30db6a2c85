import { describe, expect, it } from "vitest";
import { withPlainSpaces } from "../dateFormat";
import { permanenceDay, weekdayName } from "./permanenceDay";

describe("a permanence's day in words", () => {
  it("names the ISO weekdays, Monday first, Sunday last", () => {
    expect([weekdayName(1), weekdayName(3), weekdayName(7)]).toEqual(["lundi", "mercredi", "dimanche"]);
    expect(weekdayName(0)).toBe("");
  });

  it("is « chaque mardi » for a weekly permanence, its date for a one-off opening", () => {
    expect(permanenceDay({ weekday: 2, onDate: null })).toBe("chaque mardi");
    expect(permanenceDay({ weekday: 7, onDate: null })).toBe("chaque dimanche");
    expect(withPlainSpaces(permanenceDay({ weekday: null, onDate: "2026-06-12" }))).toBe("le 12 juin 2026");
    expect(withPlainSpaces(permanenceDay({ weekday: null, onDate: "2026-12-01" }))).toBe(
      "le 1er décembre 2026",
    );
  });
});
