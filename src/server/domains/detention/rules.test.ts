import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, parisDay } from "../../../common/calendar";
import {
  authorisationState,
  daysBetween,
  planDueDate,
  planItemState,
  planWindow,
  releaseAlertDue,
  releasePlanItems,
} from "./rules";

const day = fc
  .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));

describe("release plan window", () => {
  it("opens exactly `delay` days before the release and stays open until the release day", () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 1, max: 365 }),
        fc.integer({ min: -400, max: 400 }),
        (release, delay, offset) => {
          const today = addDays(release, offset);
          const w = planWindow(release, delay, today);
          expect(w.daysLeft).toBe(0 - offset || 0);
          expect(w.active).toBe(offset >= -delay && offset <= 0);
          expect(w.showsFrom).toBe(addDays(release, -delay));
        },
      ),
    );
  });

  it("the day before the boundary is closed, the boundary day is open (Europe/Paris days)", () => {
    // 90 days before 2026-09-29 is 2026-07-01. At 23:30 in Paris on 30 June it is still 30 June
    // (21:30 UTC); at 00:30 in Paris on 1 July it is 22:30 UTC on 30 June: already open.
    expect(planWindow("2026-09-29", 90, parisDay(new Date("2026-06-30T21:30:00Z"))).active).toBe(false);
    expect(planWindow("2026-09-29", 90, parisDay(new Date("2026-06-30T22:30:00Z"))).active).toBe(true);
    expect(planWindow("2026-09-29", 90, "2026-09-29").active).toBe(true);
    expect(planWindow("2026-09-29", 90, "2026-09-30").active).toBe(false);
    expect(planWindow(null, 90, "2026-09-29")).toEqual({ active: false, showsFrom: null, daysLeft: null });
  });
});

describe("plan items", () => {
  it("are due before the release and never in the past while the plan is open", () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 90 }),
        (release, lead, before) => {
          const today = addDays(release, -before);
          const due = planDueDate(release, lead, today);
          expect(due <= release).toBe(true);
          expect(due >= today).toBe(true);
        },
      ),
    );
  });

  it("cover identity, health, income, registration, bank, address, housing and IAE", () => {
    expect(releasePlanItems.map((i) => i.code)).toEqual([
      "ants-cni-passeport",
      "domiciliation-demande",
      "cpam-affiliation",
      "cpam-css",
      "caf-rsa",
      "ft-inscription",
      "laposte-compte-bancaire",
      "domiciliation-siao",
      "ft-iae-orientation",
    ]);
  });

  it("are done once granted, open again after a refusal", () => {
    expect(planItemState(null)).toBe("open");
    expect(planItemState("submitted")).toBe("in_progress");
    expect(planItemState("granted")).toBe("done");
    expect(planItemState("rejected")).toBe("open");
  });
});

describe("access authorisations", () => {
  it("expire the day after their last valid day, and warn within the alert delay", () => {
    expect(authorisationState("2026-06-30", "2026-06-30", 30)).toBe("expiring");
    expect(authorisationState("2026-06-30", "2026-07-01", 30)).toBe("expired");
    expect(authorisationState("2026-07-31", "2026-07-01", 30)).toBe("expiring");
    expect(authorisationState("2026-08-01", "2026-07-01", 30)).toBe("valid");
  });
});

describe("release alerts", () => {
  it("are sent once per threshold: replaying every day from 100 days before sends 90, 30 and 7 once each", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (startDaysLeft) => {
        const sent: number[] = [];
        for (let left = startDaysLeft; left >= -3; left--) {
          const due = releaseAlertDue(left, sent);
          if (due !== null) sent.push(due);
        }
        expect(new Set(sent).size).toBe(sent.length);
        // Registered late (20 days before), a person gets the threshold already reached (30) at once,
        // then the later ones (7); the thresholds passed before registration are not replayed.
        const first = Math.min(...[90, 30, 7].filter((x) => x >= startDaysLeft));
        expect(sent).toEqual([90, 30, 7].filter((t) => t <= first));
      }),
    );
  });

  it("counts whole calendar days", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // across the spring DST change
    expect(daysBetween("2026-06-21", "2026-06-01")).toBe(-20);
  });
});
