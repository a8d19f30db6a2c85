import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../../common/calendar";
import { parisInstant } from "../../core/parisTime";
import { type OpeningRule, publicHolidays } from "../agenda/rules";
import { hoursByMonth, minus, referenceDay, unionOf, weeklyMinutesBySite } from "./openingHours";

const rule = (over: Partial<OpeningRule>): OpeningRule => ({
  id: "r",
  siteId: "s1",
  weekday: 1,
  onDate: null,
  startTime: "09:00",
  endTime: "12:00",
  slotMinutes: 30,
  bufferMinutes: 0,
  validFrom: "2026-01-01",
  validTo: null,
  counselorIds: ["c1"],
  ...over,
});
const at = (day: string, time: string) => parisInstant(day, time);
const later = new Date("2027-01-01T00:00:00Z");
const noHolidays = new Set<string>();
const held = (input: Partial<Parameters<typeof hoursByMonth>[0]>, site = "s1", month = "2026-03") =>
  hoursByMonth({
    rules: [],
    closures: [],
    absences: [],
    holidays: noHolidays,
    months: [month],
    now: later,
    ...input,
  })
    .get(site)
    ?.get(month);

describe("opening hours held per month", () => {
  it("counts every occurrence of a weekly rule (5 Mondays in March 2026, across the DST change)", () => {
    expect(held({ rules: [rule({})] })).toEqual({ planned: 5 * 180, held: 5 * 180 });
    // Sunday 29 March 2026, the clocks go forward: 9:00–12:00 is still three hours.
    expect(held({ rules: [rule({ weekday: 7 })] })).toEqual({ planned: 5 * 180, held: 5 * 180 });
    // ... and a night window over the change lasts an hour less (01:00–04:00 is two real hours).
    expect(
      held({ rules: [rule({ weekday: null, onDate: "2026-03-29", startTime: "01:00", endTime: "04:00" })] }),
    ).toEqual({
      planned: 120,
      held: 120,
    });
  });

  it("leaves out public holidays, keeps one-off openings, and counts simultaneous rules once", () => {
    const holidays = publicHolidays([2026], "77");
    // Easter Monday 6 April 2026 is a holiday: 3 other Mondays in April (13, 20, 27).
    expect(held({ rules: [rule({})], holidays }, "s1", "2026-04")).toEqual({
      planned: 3 * 180,
      held: 3 * 180,
    });
    const oneOff = rule({
      id: "o",
      weekday: null,
      onDate: "2026-03-04",
      startTime: "14:00",
      endTime: "16:30",
    });
    const overlapping = rule({ id: "b", startTime: "11:00", endTime: "13:00", counselorIds: ["c2"] });
    expect(held({ rules: [rule({}), oneOff, overlapping] })).toEqual({
      planned: 5 * 240 + 150,
      held: 5 * 240 + 150,
    });
  });

  it("takes off closures and the times every counselor of the rule is absent", () => {
    const closures = [
      { siteId: "s1", startsAt: at("2026-03-09", "10:00"), endsAt: at("2026-03-09", "11:00") },
    ];
    expect(held({ rules: [rule({})], closures })).toEqual({ planned: 900, held: 840 });
    // Another site's closure changes nothing.
    expect(held({ rules: [rule({})], closures: [{ ...closures[0]!, siteId: "s2" }] })?.held).toBe(900);
    const absences = [
      { userId: "c1", startsAt: at("2026-03-16", "00:00"), endsAt: at("2026-03-24", "00:00") },
    ];
    expect(held({ rules: [rule({})], absences })).toEqual({ planned: 900, held: 900 - 2 * 180 });
    // With a second counselor present, the permanence is held.
    expect(held({ rules: [rule({ counselorIds: ["c1", "c2"] })], absences })?.held).toBe(900);
  });

  it("counts as held only the time before now", () => {
    const now = at("2026-03-16", "10:30");
    expect(held({ rules: [rule({})], now })).toEqual({ planned: 900, held: 2 * 180 + 90 });
  });

  it("respects the rules' validity", () => {
    expect(held({ rules: [rule({ validFrom: "2026-03-10", validTo: "2026-03-23" })] })?.held).toBe(2 * 180);
  });
});

describe("weekly opening hours", () => {
  it("sums the union of each site's weekly windows on the reference day", () => {
    const rules = [
      rule({}),
      rule({ id: "b", startTime: "11:00", endTime: "13:00" }),
      rule({ id: "c", weekday: 3, startTime: "14:00", endTime: "17:00" }),
      rule({ id: "d", siteId: "s2", weekday: 2 }),
      rule({ id: "e", siteId: "s2", weekday: 4, validTo: "2026-02-28" }),
      rule({ id: "f", siteId: "s2", weekday: null, onDate: "2026-03-05" }),
    ];
    expect(weeklyMinutesBySite(rules, "2026-03-15")).toEqual(
      new Map([
        ["s1", 240 + 180],
        ["s2", 180],
      ]),
    );
  });

  it("reads the rules on the period's last day, or today while the period runs", () => {
    expect(referenceDay("2026-02", new Date("2026-06-01T10:00:00Z"))).toBe("2026-02-28");
    expect(referenceDay("2026-12", new Date("2026-06-01T10:00:00Z"))).toBe("2026-06-01");
  });
});

describe("interval helpers", () => {
  it("unites and subtracts", () => {
    expect(
      unionOf([
        [5, 8],
        [1, 3],
        [2, 4],
        [8, 9],
      ]),
    ).toEqual([
      [1, 4],
      [5, 9],
    ]);
    expect(
      minus(
        [0, 10],
        [
          [2, 3],
          [1, 2],
          [9, 12],
        ],
      ),
    ).toEqual([
      [0, 1],
      [3, 9],
    ]);
  });
});

/** Brute force: every quarter of an hour of the month, is the site open and held? */
function oracle(input: Parameters<typeof hoursByMonth>[0], siteId: string, month: string) {
  const quarter = 15 * 60_000;
  const first = parisInstant(`${month}-01`, "00:00").getTime();
  const [y, m] = month.split("-").map(Number) as [number, number];
  const end = parisInstant(
    m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`,
    "00:00",
  ).getTime();
  const clock = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Paris",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  let planned = 0;
  let heldMinutes = 0;
  for (let t = first; t < end; t += quarter) {
    const instant = new Date(t);
    const [day = "", time = ""] = clock.format(instant).split(" ");
    if (input.holidays.has(day)) continue;
    const rules = input.rules.filter(
      (r) =>
        r.siteId === siteId &&
        (r.onDate !== null
          ? r.onDate === day
          : r.weekday === ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1 &&
            day >= r.validFrom &&
            (r.validTo === null || day <= r.validTo)) &&
        time >= r.startTime &&
        time < r.endTime,
    );
    if (rules.length === 0) continue;
    planned += 15;
    const inside = (i: { startsAt: Date; endsAt: Date }) =>
      i.startsAt.getTime() <= t && t < i.endsAt.getTime();
    if (t >= input.now.getTime()) continue;
    if (input.closures.some((c) => c.siteId === siteId && inside(c))) continue;
    const someone = rules.some((r) =>
      r.counselorIds.some((c) => !input.absences.some((a) => a.userId === c && inside(a))),
    );
    if (someone) heldMinutes += 15;
  }
  return { planned, held: heldMinutes };
}

describe("opening hours (property: the same as counting quarter-hours one by one)", () => {
  const month = fc.constantFrom("2026-03", "2026-05", "2026-10");
  // A permanence starting or ending at a wall time that does not exist (or exists twice) on a DST night is left out.
  const time = fc
    .integer({ min: 0, max: 95 })
    .filter((q) => q < 8 || q > 11)
    .map((q) => `${String(Math.floor(q / 4)).padStart(2, "0")}:${String((q % 4) * 15).padStart(2, "0")}`);
  const ruleArb = (m: string) =>
    fc
      .record({
        siteId: fc.constantFrom("s1", "s2"),
        weekly: fc.boolean(),
        weekday: fc.integer({ min: 1, max: 7 }),
        dayOfMonth: fc.integer({ min: 1, max: 28 }),
        a: time,
        b: time,
        validFrom: fc.integer({ min: 0, max: 20 }).map((n) => addDays(`${m}-01`, n - 10)),
        validDays: fc.option(fc.integer({ min: 0, max: 30 })),
        counselorIds: fc.subarray(["c1", "c2", "c3"], { minLength: 1 }),
      })
      .filter((r) => r.a !== r.b)
      .map(
        (r): OpeningRule => ({
          id: "r",
          siteId: r.siteId,
          weekday: r.weekly ? r.weekday : null,
          onDate: r.weekly ? null : `${m}-${String(r.dayOfMonth).padStart(2, "0")}`,
          startTime: r.a < r.b ? r.a : r.b,
          endTime: r.a < r.b ? r.b : r.a,
          slotMinutes: 15,
          bufferMinutes: 0,
          validFrom: r.validFrom,
          validTo: r.validDays === null ? null : addDays(r.validFrom, r.validDays),
          counselorIds: r.counselorIds,
        }),
      );
  const quarterIn = (m: string) =>
    fc
      .integer({ min: 0, max: 31 * 96 })
      .map((q) => new Date(parisInstant(`${m}-01`, "00:00").getTime() + q * 15 * 60_000));
  const span = (m: string) =>
    fc.tuple(quarterIn(m), fc.integer({ min: 1, max: 96 * 3 })).map(([startsAt, q]) => ({
      startsAt,
      endsAt: new Date(startsAt.getTime() + q * 15 * 60_000),
    }));
  const inputArb = month.chain((m) =>
    fc.record({
      month: fc.constant(m),
      rules: fc.array(ruleArb(m), { maxLength: 6 }),
      closures: fc.array(fc.record({ siteId: fc.constantFrom("s1", "s2"), span: span(m) }), { maxLength: 3 }),
      absences: fc.array(fc.record({ userId: fc.constantFrom("c1", "c2", "c3"), span: span(m) }), {
        maxLength: 4,
      }),
      now: fc.oneof(fc.constant(later), quarterIn(m)),
      departement: fc.constantFrom("77", "67"),
    }),
  );

  it("planned and held per site equal the quarter-hour count, with DST, holidays, closures, absences", () => {
    fc.assert(
      fc.property(inputArb, (x) => {
        const input = {
          rules: x.rules.map((r, i) => ({ ...r, id: `r${i}` })),
          closures: x.closures.map((c) => ({ siteId: c.siteId, ...c.span })),
          absences: x.absences.map((a) => ({ userId: a.userId, ...a.span })),
          holidays: publicHolidays([2026], x.departement),
          months: [x.month],
          now: x.now,
        };
        const result = hoursByMonth(input);
        for (const siteId of ["s1", "s2"]) {
          const expected = oracle(input, siteId, x.month);
          const got = result.get(siteId)?.get(x.month) ?? { planned: 0, held: 0 };
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: 40, seed: 20261130 },
    );
  });
});
