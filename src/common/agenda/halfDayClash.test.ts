import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convocationStatuses } from "./agenda.schema";
import { halfDayOf, halfDayWord, sameHalfDayClash, thatHalfDay } from "./halfDayClash";

const planned = (id: string, startsAt: string) => ({ id, startsAt, status: "planned" as const });

describe("the same half-day, read in Paris", () => {
  it("the morning ends at 12:59 and the afternoon starts at 13:00, summer and winter time", () => {
    // Summer (UTC+2): 12:59 Paris is 10:59 UTC.
    expect(halfDayOf("2026-06-02T10:59:00.000Z")).toBe("2026-06-02|morning");
    expect(halfDayOf("2026-06-02T11:00:00.000Z")).toBe("2026-06-02|afternoon");
    // Winter (UTC+1): 12:59 Paris is 11:59 UTC.
    expect(halfDayOf("2026-12-08T11:59:00.000Z")).toBe("2026-12-08|morning");
    expect(halfDayOf("2026-12-08T12:00:00.000Z")).toBe("2026-12-08|afternoon");
    expect(halfDayWord("2026-12-08T08:00:00.000Z")).toBe("matin");
    expect(halfDayWord("2026-12-08T13:00:00.000Z")).toBe("après-midi");
    expect(thatHalfDay("2026-12-08T08:00:00.000Z")).toBe("ce matin-là");
    expect(thatHalfDay("2026-12-08T13:00:00.000Z")).toBe("cet après-midi-là");
  });

  it("midnight is Paris midnight: 23:30 UTC on Monday is Tuesday morning in Paris", () => {
    expect(halfDayOf("2026-12-07T23:30:00.000Z")).toBe("2026-12-08|morning");
    expect(halfDayOf("2026-12-07T22:59:00.000Z")).toBe("2026-12-07|afternoon");
  });
});

describe("sameHalfDayClash", () => {
  const nineAtMeaux = { ...planned("a", "2026-12-08T08:00:00.000Z"), siteName: "Meaux" };

  it("a planned convocation that morning clashes, at any site; the afternoon or another day does not", () => {
    expect(sameHalfDayClash([nineAtMeaux], "2026-12-08T11:30:00.000Z")).toBe(nineAtMeaux); // 12:30
    expect(sameHalfDayClash([nineAtMeaux], "2026-12-08T12:00:00.000Z")).toBeUndefined(); // 13:00
    expect(sameHalfDayClash([nineAtMeaux], "2026-12-09T08:00:00.000Z")).toBeUndefined();
  });

  it("a cancelled, honoured, missed or excused one does not clash; the one being moved does not either", () => {
    for (const status of convocationStatuses.filter((s) => s !== "planned"))
      expect(sameHalfDayClash([{ ...nineAtMeaux, status }], "2026-12-08T09:00:00.000Z")).toBeUndefined();
    expect(sameHalfDayClash([nineAtMeaux], "2026-12-08T09:00:00.000Z", "a")).toBeUndefined();
  });

  // Any instant from 2020 to 2035, to the minute.
  const instant = fc
    .integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2035, 0, 1) / 60_000 })
    .map((minutes) => new Date(minutes * 60_000).toISOString());
  const parisHour = (iso: string): number =>
    Number(
      new Intl.DateTimeFormat("fr-FR", {
        timeZone: "Europe/Paris",
        hour: "numeric",
        hourCycle: "h23",
      }).format(new Date(iso)),
    );
  const parisDate = (iso: string): string =>
    new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" }).format(new Date(iso));

  it("clashes exactly when both are planned on the same Paris day, on the same side of 13:00", () => {
    fc.assert(
      fc.property(instant, instant, fc.constantFrom(...convocationStatuses), (existing, booked, status) => {
        const expected =
          status === "planned" &&
          parisDate(existing) === parisDate(booked) &&
          parisHour(existing) < 13 === parisHour(booked) < 13;
        const found = sameHalfDayClash([{ id: "x", startsAt: existing, status }], booked);
        expect(found !== undefined).toBe(expected);
      }),
    );
  });

  it("is symmetric, and a convocation always clashes with its own half-day", () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        expect(sameHalfDayClash([planned("a", a)], b) !== undefined).toBe(
          sameHalfDayClash([planned("b", b)], a) !== undefined,
        );
        expect(sameHalfDayClash([planned("a", a)], a)).toBeDefined();
      }),
    );
  });
});
