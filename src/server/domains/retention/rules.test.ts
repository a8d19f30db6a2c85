import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultRetentionSettings } from "../../../common/retention/retention.schema";
import { nextNight } from "./job";
import { cutoffs, monthsAfter, monthsBefore } from "./rules";

describe("retention rules", () => {
  it("counts calendar months, the 31st falling back to the month's last day", () => {
    expect(monthsBefore(new Date("2026-06-01T09:00:00Z"), 12).toISOString()).toBe("2025-06-01T09:00:00.000Z");
    expect(monthsBefore(new Date("2026-03-31T09:00:00Z"), 1).toISOString()).toBe("2026-02-28T09:00:00.000Z");
    expect(monthsAfter(new Date("2025-12-15T00:00:00Z"), 6).toISOString()).toBe("2026-06-15T00:00:00.000Z");
  });

  it("the national defaults: archive after 12 months, erase 6 months later, journal 12, messages 3", () => {
    const now = new Date("2026-06-01T09:00:00Z");
    const c = cutoffs(defaultRetentionSettings, now);
    expect(c.archiveBefore.toISOString()).toBe("2025-06-01T09:00:00.000Z");
    expect(c.eraseArchivedBefore.toISOString()).toBe("2025-12-01T09:00:00.000Z");
    expect(c.journalBefore.toISOString()).toBe("2025-06-01T09:00:00.000Z");
    expect(c.messagesBefore.toISOString()).toBe("2026-03-01T09:00:00.000Z");
  });

  it("a cut-off is always earlier than now, by at least the months asked minus 3 days", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2020-01-01"), max: new Date("2040-01-01"), noInvalidDate: true }),
        fc.integer({ min: 1, max: 36 }),
        (now, months) => {
          const before = monthsBefore(now, months);
          expect(before.getTime()).toBeLessThan(now.getTime());
          const roughly = now.getTime() - before.getTime();
          expect(roughly).toBeGreaterThanOrEqual((months * 28 - 0) * 86_400_000);
          expect(roughly).toBeLessThanOrEqual(months * 31 * 86_400_000);
        },
      ),
      { seed: 24 },
    );
  });

  it("the daily purge first runs at 3 a.m. Paris time the next night, summer or winter", () => {
    expect(nextNight(new Date("2026-06-01T09:00:00Z")).toISOString()).toBe("2026-06-02T01:00:00.000Z");
    expect(nextNight(new Date("2026-11-30T22:30:00Z")).toISOString()).toBe("2026-12-01T02:00:00.000Z");
  });
});
