import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../../common/calendar";
import { alertThresholds, conventionStatus, daysBetween, dueThreshold } from "./rules";

const day = fc
  .date({ min: new Date("2000-01-01T12:00:00Z"), max: new Date("2100-12-31T12:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("convention status", () => {
  it("draft and ended stay what was recorded, whatever the dates", () => {
    fc.assert(
      fc.property(day, day, fc.integer({ min: 15, max: 365 }), (today, endsOn, alertDays) => {
        expect(conventionStatus({ recordedStatus: "draft", endsOn }, today, alertDays)).toBe("draft");
        expect(conventionStatus({ recordedStatus: "ended", endsOn }, today, alertDays)).toBe("ended");
      }),
    );
  });

  it("a signed convention is to renew from `alertDays` before its end to its last day, expired the day after", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 15, max: 365 }), (today, alertDays) => {
        const status = (offset: number) =>
          conventionStatus({ recordedStatus: "signed", endsOn: addDays(today, offset) }, today, alertDays);
        expect(status(alertDays + 1)).toBe("signed");
        expect(status(alertDays)).toBe("to_renew");
        expect(status(0)).toBe("to_renew");
        expect(status(-1)).toBe("expired");
      }),
    );
  });

  it("counts calendar days across the daylight-saving changes of Europe/Paris", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2);
    expect(daysBetween("2026-06-01", "2026-05-31")).toBe(-1);
    fc.assert(
      fc.property(day, fc.integer({ min: -800, max: 800 }), (d, n) => daysBetween(d, addDays(d, n)) === n),
    );
  });

  it("a signed convention without end date stays signed", () => {
    expect(conventionStatus({ recordedStatus: "signed", endsOn: null }, "2026-06-01", 90)).toBe("signed");
  });
});

describe("alert thresholds", () => {
  it("are the delay, 30 days and the end", () => {
    expect(alertThresholds(90)).toEqual([90, 30, 0]);
    expect(alertThresholds(30)).toEqual([30, 0]);
    expect(alertThresholds(15)).toEqual([15, 0]);
  });

  it("the due threshold is the nearest one crossed, none before the delay", () => {
    expect(dueThreshold(91, 90)).toBeNull();
    expect(dueThreshold(90, 90)).toBe(90);
    expect(dueThreshold(60, 90)).toBe(90);
    expect(dueThreshold(30, 90)).toBe(30);
    expect(dueThreshold(20, 90)).toBe(30);
    expect(dueThreshold(0, 90)).toBe(0);
    expect(dueThreshold(-5, 90)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 15, max: 365 }), (left, delay) => {
        const due = dueThreshold(left, delay);
        if (left > delay) return due === null;
        return due !== null && left <= due && alertThresholds(delay).every((t) => t >= due || left > t);
      }),
    );
  });
});
