import { describe, expect, it } from "vitest";
import { monthsTouched } from "./monthsTouched";

const now = new Date("2026-06-01T09:00:00Z");

describe("monthsTouched", () => {
  it("names the month of a period inside one, in Paris time", () => {
    expect(monthsTouched("2026-05-11T06:00:00Z", "2026-05-12T18:00:00Z", now)).toBe("mai 2026");
    // 1 June 00:30 in Paris is still 31 May in UTC.
    expect(monthsTouched("2026-05-31T22:30:00Z", "2026-05-31T23:30:00Z", now)).toBe("juin 2026");
  });

  it("names each month up to the period's end or now, whichever comes first", () => {
    expect(monthsTouched("2026-03-30T06:00:00Z", "2026-05-02T18:00:00Z", now)).toBe(
      "mars 2026, avril 2026 et mai 2026",
    );
    expect(monthsTouched("2026-05-25T06:00:00Z", "2026-07-02T18:00:00Z", now)).toBe("mai 2026 et juin 2026");
  });
});
