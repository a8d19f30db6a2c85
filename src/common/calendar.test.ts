import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parisDay, TIME_ZONE } from "./calendar";

describe("parisDay", () => {
  it("is the Paris day as toLocaleDateString gives it, around midnight and the clock changes", () => {
    // Midnight in Paris in winter (23:00Z) and summer (22:00Z), and the nights of the clock changes.
    for (const instant of [
      "2026-01-14T22:59:59.999Z",
      "2026-01-14T23:00:00.000Z",
      "2026-07-14T21:59:59.999Z",
      "2026-07-14T22:00:00.000Z",
      "2026-03-29T00:59:59.999Z",
      "2026-03-29T01:00:00.000Z",
      "2026-10-25T00:59:59.999Z",
      "2026-10-25T01:00:00.000Z",
    ])
      expect(parisDay(new Date(instant)), instant).toBe(
        new Date(instant).toLocaleDateString("sv-SE", { timeZone: TIME_ZONE }),
      );
    expect(parisDay(new Date("2026-01-14T23:00:00.000Z"))).toBe("2026-01-15");
  });

  it("agrees with toLocaleDateString on any instant from 1900 to 2100", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        (d) => {
          expect(parisDay(d)).toBe(d.toLocaleDateString("sv-SE", { timeZone: TIME_ZONE }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("says Invalid Date for an invalid date, as before", () => {
    expect(parisDay(new Date(Number.NaN))).toBe("Invalid Date");
  });
});
