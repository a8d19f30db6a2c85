import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dayOfMonth,
  formatDate,
  formatDateTime,
  formatDay,
  formatDayRange,
  formatDuration,
  formatHours,
  formatLongDate,
  formatShortDate,
  formatShortDateTime,
  formatTime,
  formatTimeOfDay,
} from "./dateFormat";

/** Spaces inside dates are non-breaking: compare with plain spaces. */
const plain = (text: string): string => text.replace(/\u00a0/g, " ");

/** Last Sunday of a month (UTC day number), where EU summer time starts (March) or ends (October). */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/** The Paris offset from EU rules alone (change at 01:00 UTC), independent of Intl. */
function parisOffsetHours(at: Date): number {
  const year = at.getUTCFullYear();
  const start = Date.UTC(year, 2, lastSunday(year, 2), 1);
  const end = Date.UTC(year, 9, lastSunday(year, 9), 1);
  return at.getTime() >= start && at.getTime() < end ? 2 : 1;
}

/** Since 1996 the EU rule above holds (summer time used to end in September). */
const instants = fc
  .date({ min: new Date("1996-01-01T00:00:00Z"), max: new Date("2100-12-31T23:59:59Z"), noInvalidDate: true })
  .map((d) => new Date(d));
const days = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2199-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("the date family", () => {
  it("writes an appointment in full, with 1er and a time in hours and minutes", () => {
    expect(plain(formatDateTime("2026-12-01T12:30:00Z"))).toBe("mardi 1er décembre 2026 à 13 h 30");
    expect(plain(formatDateTime("2026-06-02T07:00:45Z"))).toBe("mardi 2 juin 2026 à 9 h 00");
    expect(plain(formatLongDate("2026-12-01"))).toBe("mardi 1er décembre 2026");
    expect(plain(formatDate("2026-12-01"))).toBe("1er décembre 2026");
    expect(plain(formatDay("2026-06-01T08:00:00Z"))).toBe("lundi 1er juin");
    expect(plain(formatTime("2026-06-01T22:05:00Z"))).toBe("0 h 05");
  });

  it("says which 2:30 it is on the night the clocks go back (2:00–2:59 is lived twice), only then", () => {
    expect(plain(formatTime("2026-10-25T00:30:00Z"))).toBe("2 h 30 (heure d'été)");
    expect(plain(formatTime("2026-10-25T01:30:00Z"))).toBe("2 h 30 (heure d'hiver)");
    expect(plain(formatDateTime("2026-10-25T01:00:00Z"))).toBe(
      "dimanche 25 octobre 2026 à 2 h 00 (heure d'hiver)",
    );
    expect(plain(formatTime("2026-10-24T23:59:00Z"))).toBe("1 h 59");
    expect(plain(formatTime("2026-10-25T02:00:00Z"))).toBe("3 h 00");
    expect(plain(formatTime("2026-03-29T01:00:00Z"))).toBe("3 h 00");
  });

  it("writes a permanence's hours and a length of time the way it writes a time", () => {
    expect(plain(formatTimeOfDay("09:00"))).toBe("9 h 00");
    expect(plain(formatTimeOfDay("12:30"))).toBe("12 h 30");
    expect(plain(formatDuration(27 * 60 + 30))).toBe("27 h 30");
    expect(plain(formatDuration(24 * 60))).toBe("24 h");
    expect(plain(formatDuration(45))).toBe("45 min");
    expect(plain(formatDuration(0))).toBe("0 min");
    expect(plain(formatDuration(90 + 5))).toBe("1 h 35");
  });

  it("writes an amount of opening hours to the minute, none at all as 0 h", () => {
    expect(plain(formatHours(131 * 60 + 45))).toBe("131 h 45");
    expect(plain(formatHours(30))).toBe("30 min");
    expect(plain(formatHours(0))).toBe("0 h");
    expect(plain(formatHours(0.2))).toBe("0 h");
  });

  it("groups the hours from a thousand as every number of the app (narrow no-break space)", () => {
    // Outside review: « 1300 h » on the dashboard of a steering user over several structures.
    expect(formatHours(1300 * 60)).toBe("1\u202f300\u00a0h");
    expect(formatDuration(1300 * 60 + 30)).toBe("1\u202f300\u00a0h\u00a030");
    expect(formatHours(12_345 * 60 + 5)).toBe(`${(12_345).toLocaleString("fr-FR")}\u00a0h\u00a005`);
    expect(plain(formatHours(999 * 60 + 59))).toBe("999 h 59");
  });

  it("writes dense tables as 01/12/2026", () => {
    expect(formatShortDate("2026-12-01")).toBe("01/12/2026");
    expect(plain(formatShortDateTime("2026-12-01T12:30:00Z"))).toBe("01/12/2026 à 13 h 30");
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(formatShortDate("2026-12-31T23:30:00Z")).toBe("01/01/2027");
  });

  it("writes a period of days with its month and year once when shared", () => {
    expect(plain(formatDayRange("2026-12-07", "2026-12-13"))).toBe("du lundi 7 au dimanche 13 décembre 2026");
    expect(plain(formatDayRange("2026-11-30", "2026-12-06"))).toBe(
      "du lundi 30 novembre au dimanche 6 décembre 2026",
    );
    expect(plain(formatDayRange("2026-12-28", "2027-01-03"))).toBe(
      "du lundi 28 décembre 2026 au dimanche 3 janvier 2027",
    );
    expect(plain(formatDayRange("2027-02-01", "2027-02-07"))).toBe("du lundi 1er au dimanche 7 février 2027");
    // The weeks of the changes of time keep their seven days.
    expect(plain(formatDayRange("2026-10-19", "2026-10-25"))).toBe("du lundi 19 au dimanche 25 octobre 2026");
    expect(plain(formatDayRange("2027-03-22", "2027-03-28"))).toBe("du lundi 22 au dimanche 28 mars 2027");
  });

  it("shows a dash for a missing date", () => {
    expect(formatDate(null)).toBe("—");
    expect(formatShortDate(undefined)).toBe("—");
  });

  it("never shows seconds", () => {
    fc.assert(
      fc.property(instants, (at) => {
        for (const text of [formatTime(at), formatDateTime(at), formatShortDateTime(at)].map(plain)) {
          expect(text).toMatch(/(^|à )\d{1,2} h \d{2}$/);
          expect(text).not.toMatch(/:\d{2}/);
        }
      }),
    );
  });

  it("writes 1er on the first day of a month only", () => {
    fc.assert(
      fc.property(days, (day) => {
        const first = day.endsWith("-01");
        expect(plain(formatDate(day)).startsWith("1er ")).toBe(first);
        expect(plain(formatLongDate(day)).includes(" 1er ")).toBe(first);
        expect(formatDate(day)).not.toMatch(/^0/);
      }),
    );
    expect(dayOfMonth(1)).toBe("1er");
    expect(dayOfMonth(11)).toBe("11");
    expect(dayOfMonth(21)).toBe("21");
  });

  it("reads every instant in Paris time, summer and winter time included", () => {
    fc.assert(
      fc.property(instants, (at) => {
        const paris = new Date(at.getTime() + parisOffsetHours(at) * 3_600_000);
        const expected = `${paris.getUTCHours()} h ${String(paris.getUTCMinutes()).padStart(2, "0")}`;
        expect(plain(formatTime(at))).toBe(expected);
        const day = `${String(paris.getUTCDate()).padStart(2, "0")}/${String(paris.getUTCMonth() + 1).padStart(2, "0")}/${paris.getUTCFullYear()}`;
        expect(formatShortDate(at)).toBe(day);
      }),
    );
  });

  it("keeps a calendar day on its day whatever the time zone", () => {
    fc.assert(
      fc.property(days, (day) => {
        const [year, month, date] = day.split("-");
        expect(formatShortDate(day)).toBe(`${date}/${month}/${year}`);
      }),
    );
  });

  it("crosses the changes of time around the last Sundays of March and October", () => {
    // 29 March 2026: 01:59 UTC is 3 h 59 (summer time); 00:59 UTC is 1 h 59 (winter time).
    expect(plain(formatTime("2026-03-29T00:59:00Z"))).toBe("1 h 59");
    expect(plain(formatTime("2026-03-29T01:00:00Z"))).toBe("3 h 00");
    // 25 October 2026: 2:00–2:59 is lived twice, each said with its time.
    expect(plain(formatTime("2026-10-25T00:59:00Z"))).toBe("2 h 59 (heure d'été)");
    expect(plain(formatTime("2026-10-25T01:00:00Z"))).toBe("2 h 00 (heure d'hiver)");
  });
});
