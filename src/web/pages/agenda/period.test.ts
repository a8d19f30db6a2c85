import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, isoWeekday } from "../../../common/calendar";
import { publicHolidays } from "../../../common/holidays";
import {
  dayFromParam,
  isInWeek,
  mondayOf,
  type OpeningDays,
  stepDay,
  weekendDaysToShow,
  weekOf,
} from "./period";

const days = fc
  .date({ min: new Date("1900-01-08T00:00:00Z"), max: new Date("2199-12-20T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const weekly = (weekday: number, validFrom = "2026-01-01", validTo: string | null = null): OpeningDays => ({
  weekday,
  onDate: null,
  validFrom,
  validTo,
});
const once = (onDate: string): OpeningDays => ({ weekday: null, onDate, validFrom: onDate, validTo: onDate });

describe("the agenda's weeks", () => {
  it("runs from Monday to Sunday around any day", () => {
    fc.assert(
      fc.property(days, (day) => {
        const week = weekOf(day);
        expect(isoWeekday(week.from)).toBe(1);
        expect(week.to).toBe(addDays(week.from, 6));
        expect(week.from <= day && day <= week.to).toBe(true);
      }),
    );
  });

  it("keeps the weeks of the changes of time whole", () => {
    // 25 October 2026 and 28 March 2027 are the Sundays when Paris changes time.
    expect(weekOf("2026-10-25")).toEqual({ from: "2026-10-19", to: "2026-10-25" });
    expect(mondayOf("2026-10-26")).toBe("2026-10-26");
    expect(weekOf("2027-03-28")).toEqual({ from: "2027-03-22", to: "2027-03-28" });
    expect(weekOf("2027-03-24")).toEqual({ from: "2027-03-22", to: "2027-03-28" });
  });

  it("reads an appointment's week in Paris time, winter and summer", () => {
    const autumn = weekOf("2026-10-25");
    // Monday 19 at 0 h 00 in summer time (UTC+2), Sunday 25 at 23 h 59 in winter time (UTC+1).
    expect(isInWeek("2026-10-18T22:00:00Z", autumn)).toBe(true);
    expect(isInWeek("2026-10-18T21:59:00Z", autumn)).toBe(false);
    expect(isInWeek("2026-10-25T22:59:00Z", autumn)).toBe(true);
    expect(isInWeek("2026-10-25T23:00:00Z", autumn)).toBe(false);
    const spring = weekOf("2027-03-28");
    // Monday 22 at 0 h 00 in winter time, Sunday 28 at 23 h 59 in summer time.
    expect(isInWeek("2027-03-21T23:00:00Z", spring)).toBe(true);
    expect(isInWeek("2027-03-21T22:59:00Z", spring)).toBe(false);
    expect(isInWeek("2027-03-28T21:59:00Z", spring)).toBe(true);
    expect(isInWeek("2027-03-28T22:00:00Z", spring)).toBe(false);
  });

  it("takes the week from the address, and today's week for anything the API would refuse", () => {
    const today = "2026-12-01";
    const thisWeek = { from: "2026-11-30", to: "2026-12-06" };
    expect(weekOf(dayFromParam("2026-12-09", today))).toEqual({ from: "2026-12-07", to: "2026-12-13" });
    expect(weekOf(dayFromParam("2026-10-25", today))).toEqual({ from: "2026-10-19", to: "2026-10-25" });
    for (const wrong of [
      null,
      "",
      "demain",
      "2026-13-45",
      "2026-02-30",
      "07/12/2026",
      " 2026-12-07",
      "2199-12-31",
    ])
      expect(weekOf(dayFromParam(wrong, today))).toEqual(thisWeek);
    expect(weekOf(dayFromParam("1900-01-01", today))).toEqual({ from: "1900-01-01", to: "1900-01-07" });
    expect(dayFromParam("2026-12-09", today)).toBe("2026-12-09");
    expect(dayFromParam("2026-02-30", today)).toBe(today);
  });
});

describe("the weekend days the calendar shows", () => {
  const week = weekOf("2026-10-21");

  it("shows none without a weekend opening or appointment", () => {
    expect(
      weekendDaysToShow(week, ["2026-10-23T08:00:00Z"], [weekly(1), weekly(5), once("2026-10-22")]),
    ).toEqual([]);
  });

  it("shows the Saturday or Sunday where a permanence opens", () => {
    expect(weekendDaysToShow(week, [], [weekly(6)])).toEqual(["2026-10-24"]);
    expect(weekendDaysToShow(week, [], [once("2026-10-25")])).toEqual(["2026-10-25"]);
    expect(weekendDaysToShow(week, [], [weekly(6), weekly(7)])).toEqual(["2026-10-24", "2026-10-25"]);
    // A weekly rule counts only while valid; a one-off opening in another week does not count.
    expect(weekendDaysToShow(week, [], [weekly(6, "2026-10-01", "2026-10-23")])).toEqual([]);
    expect(weekendDaysToShow(week, [], [weekly(7, "2026-10-26")])).toEqual([]);
    expect(weekendDaysToShow(week, [], [once("2026-10-31")])).toEqual([]);
  });

  it("shows the day of a weekend appointment as read in Paris", () => {
    // Sunday 25 October at 23 h 30 (winter time) is in the week; 0 h 30 on Monday 26 is not.
    expect(weekendDaysToShow(week, ["2026-10-25T22:30:00Z"], [])).toEqual(["2026-10-25"]);
    expect(weekendDaysToShow(week, ["2026-10-25T23:30:00Z"], [])).toEqual([]);
    // Friday 23 at 23 h 30 summer time is 21:30 UTC: still Friday, no weekend day.
    expect(weekendDaysToShow(week, ["2026-10-23T21:30:00Z"], [])).toEqual([]);
    expect(weekendDaysToShow(weekOf("2027-03-28"), ["2027-03-27T23:30:00Z"], [])).toEqual(["2027-03-28"]);
  });
});

describe("stepDay", () => {
  it("goes from Friday to Monday and back, over a closed weekend", () => {
    expect(stepDay("2026-12-04", 1, [])).toBe("2026-12-07");
    expect(stepDay("2026-12-07", -1, [])).toBe("2026-12-04");
    expect(stepDay("2026-12-02", 1, [])).toBe("2026-12-03");
    expect(stepDay("2026-12-02", -1, [])).toBe("2026-12-01");
    // From a weekend day shown by address, to the nearest weekday.
    expect(stepDay("2026-12-05", 1, [])).toBe("2026-12-07");
    expect(stepDay("2026-12-06", -1, [])).toBe("2026-12-04");
  });
  it("stops on a Saturday or Sunday only where a permanence opens then", () => {
    expect(stepDay("2026-12-04", 1, [weekly(6)])).toBe("2026-12-05");
    expect(stepDay("2026-12-07", -1, [weekly(6)])).toBe("2026-12-05");
    expect(stepDay("2026-12-04", 1, [once("2026-12-13")])).toBe("2026-12-07");
    expect(stepDay("2026-12-11", 1, [once("2026-12-13")])).toBe("2026-12-13");
  });
  it("skips public holidays too, a weekday or a weekend day with an opening alike", () => {
    const holidays = publicHolidays([2026, 2027], "77");
    // Christmas is a Friday: Thursday 24's "Suivant" is Monday 28, and back.
    expect(stepDay("2026-12-24", 1, [], holidays)).toBe("2026-12-28");
    expect(stepDay("2026-12-28", -1, [], holidays)).toBe("2026-12-24");
    // Easter Monday and Ascension Thursday.
    expect(stepDay("2026-04-03", 1, [], holidays)).toBe("2026-04-07");
    expect(stepDay("2026-05-13", 1, [], holidays)).toBe("2026-05-15");
    // New Year's Day 2027 is a Friday; a Saturday permanence still opens on 2 January.
    expect(stepDay("2026-12-31", 1, [weekly(6)], holidays)).toBe("2027-01-02");
    // In Alsace-Moselle Saint-Étienne (26 December) is a holiday as well.
    const alsace = publicHolidays([2026, 2027], "67");
    expect(stepDay("2026-12-24", 1, [weekly(6)], alsace)).toBe("2026-12-28");
    expect(stepDay("2026-12-24", 1, [weekly(6)], holidays)).toBe("2026-12-26");
  });
  it("never lands on a weekend day without an opening, and moves one way", () => {
    fc.assert(
      fc.property(days, fc.constantFrom(1 as const, -1 as const), (day, direction) => {
        const next = stepDay(day, direction, []);
        expect(isoWeekday(next)).toBeLessThanOrEqual(5);
        expect(direction === 1 ? next > day : next < day).toBe(true);
      }),
    );
  });
});
