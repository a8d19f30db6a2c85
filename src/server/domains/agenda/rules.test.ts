import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  arrivalProblem,
  CORRECTION_WINDOW_DAYS,
  computeSlots,
  correctionProblem,
  isoWeekday,
  isToFillIn,
  nextOpeningDay,
  type OpeningRule,
  parisDay,
  parisInstant,
  parisMidnight,
  publicHolidays,
  ruleAppliesOn,
  type SlotInput,
  slotStartTimes,
  transitionProblem,
  weeklyOpeningMinutes,
} from "./rules";

const sites = ["site-a", "site-b"];
const counselors = ["c1", "c2", "c3"];

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const ruleArb: fc.Arbitrary<OpeningRule> = fc
  .record({
    id: fc.uuid(),
    siteId: fc.constantFrom(...sites),
    weekly: fc.boolean(),
    weekday: fc.integer({ min: 1, max: 7 }),
    dayOffset: fc.integer({ min: 0, max: 40 }),
    start: fc.integer({ min: 32, max: 64 }).map((q) => q * 15),
    length: fc.integer({ min: 2, max: 16 }).map((q) => q * 15),
    slotMinutes: fc.constantFrom(15, 20, 30, 45, 60),
    bufferMinutes: fc.constantFrom(0, 5, 10, 15),
    counselorIds: fc.subarray(counselors, { minLength: 0 }),
  })
  .map((r) => ({
    id: r.id,
    siteId: r.siteId,
    weekday: r.weekly ? r.weekday : null,
    onDate: r.weekly ? null : addDays("2026-03-20", r.dayOffset),
    startTime: hhmm(r.start),
    endTime: hhmm(r.start + r.length),
    slotMinutes: r.slotMinutes,
    bufferMinutes: r.bufferMinutes,
    validFrom: addDays("2026-03-15", r.dayOffset % 10),
    validTo: r.dayOffset % 3 === 0 ? null : addDays("2026-04-10", r.dayOffset),
    counselorIds: r.counselorIds,
  }));

const intervalArb = fc
  .record({
    day: fc.integer({ min: 0, max: 45 }),
    start: fc.integer({ min: 0, max: 95 }),
    length: fc.integer({ min: 1, max: 40 }),
  })
  .map(({ day, start, length }) => {
    const startsAt = parisInstant(addDays("2026-03-20", day), hhmm(start * 15));
    return { startsAt, endsAt: new Date(startsAt.getTime() + length * 15 * 60_000) };
  });

const inputArb: fc.Arbitrary<SlotInput> = fc.record({
  rules: fc.array(ruleArb, { maxLength: 5 }),
  closures: fc.array(
    fc.tuple(fc.constantFrom(...sites), intervalArb).map(([siteId, i]) => ({ siteId, ...i })),
    { maxLength: 3 },
  ),
  absences: fc.array(
    fc.tuple(fc.constantFrom(...counselors), intervalArb).map(([userId, i]) => ({ userId, ...i })),
    { maxLength: 3 },
  ),
  bookings: fc.constant([]),
  fromDay: fc.integer({ min: 0, max: 20 }).map((n) => addDays("2026-03-20", n)),
  toDay: fc.constant("2026-05-20"),
  now: fc.integer({ min: 0, max: 30 * 24 }).map((h) => new Date(Date.UTC(2026, 2, 20, 6) + h * 3_600_000)),
  minLeadHours: fc.constantFrom(0, 2, 24),
  departement: fc.constantFrom("77", "67"),
});

describe("slot computation (properties)", () => {
  it("puts every slot inside an opening of its site, on a working day, after the lead time", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const holidays = publicHolidays([2026], input.departement);
        for (const slot of computeSlots(input)) {
          const day = parisDay(slot.startsAt);
          expect(holidays.has(day)).toBe(false);
          expect(slot.startsAt.getTime()).toBeGreaterThanOrEqual(
            input.now.getTime() + input.minLeadHours * 3_600_000,
          );
          const inside = input.rules.some(
            (r) =>
              r.siteId === slot.siteId &&
              ruleAppliesOn(r, day) &&
              slot.startsAt >= parisInstant(day, r.startTime) &&
              slot.endsAt <= parisInstant(day, r.endTime),
          );
          expect(inside).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("never offers a slot during a closure of its site", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const slot of computeSlots(input)) {
          for (const c of input.closures.filter((c) => c.siteId === slot.siteId)) {
            expect(slot.startsAt < c.endsAt && c.startsAt < slot.endsAt).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("gives each slot a capacity between 1 and the counselors present, and is deterministic", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const slots = computeSlots(input);
        expect(computeSlots(input)).toEqual(slots);
        for (const slot of slots) {
          expect(slot.capacity).toBeGreaterThanOrEqual(1);
          const pools = input.rules.filter((r) => r.siteId === slot.siteId).flatMap((r) => r.counselorIds);
          expect(slot.capacity).toBeLessThanOrEqual(pools.length);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("slot computation (examples)", () => {
  const meauxTuesday: OpeningRule = {
    id: "r1",
    siteId: "meaux",
    weekday: 2,
    onDate: null,
    startTime: "09:00",
    endTime: "12:30",
    slotMinutes: 45,
    bufferMinutes: 15,
    validFrom: "2026-01-01",
    validTo: null,
    counselorIds: ["a", "b"],
  };
  const base: SlotInput = {
    rules: [meauxTuesday],
    closures: [],
    absences: [],
    bookings: [],
    fromDay: "2026-06-01",
    toDay: "2026-06-07",
    now: new Date("2026-05-01T00:00:00Z"),
    minLeadHours: 0,
    departement: "77",
  };

  it("Meaux, Tuesday 9:00–12:30, 45 min + 15 min buffer: 9:00, 10:00, 11:00 for two counselors", () => {
    expect(slotStartTimes(meauxTuesday)).toEqual(["09:00", "10:00", "11:00"]);
    const slots = computeSlots(base);
    expect(slots.map((s) => s.startsAt.toISOString())).toEqual([
      "2026-06-02T07:00:00.000Z",
      "2026-06-02T08:00:00.000Z",
      "2026-06-02T09:00:00.000Z",
    ]);
    expect(slots.every((s) => s.capacity === 2 && s.booked === 0)).toBe(true);
  });

  it("uses winter time in winter", () => {
    const slots = computeSlots({ ...base, fromDay: "2026-12-01", toDay: "2026-12-01" });
    expect(slots[0]?.startsAt.toISOString()).toBe("2026-12-01T08:00:00.000Z");
  });

  it("skips public holidays, with Alsace-Moselle's Saint-Étienne only in 57/67/68", () => {
    const dec26 = { ...meauxTuesday, weekday: null, onDate: "2026-12-26" };
    expect(
      computeSlots({ ...base, rules: [dec26], fromDay: "2026-12-26", toDay: "2026-12-26" }),
    ).toHaveLength(3);
    expect(
      computeSlots({
        ...base,
        rules: [dec26],
        fromDay: "2026-12-26",
        toDay: "2026-12-26",
        departement: "67",
      }),
    ).toEqual([]);
    // 14 July 2026 is a Tuesday.
    expect(isoWeekday("2026-07-14")).toBe(2);
    expect(computeSlots({ ...base, fromDay: "2026-07-14", toDay: "2026-07-14" })).toEqual([]);
  });

  it("an absence lowers the capacity, bookings are counted, a closure removes slots", () => {
    const absence = {
      userId: "a",
      startsAt: new Date("2026-06-02T07:00:00Z"),
      endsAt: new Date("2026-06-02T07:30:00Z"),
    };
    const booking = { siteId: "meaux", startsAt: new Date("2026-06-02T08:00:00Z") };
    const closure = {
      siteId: "meaux",
      startsAt: new Date("2026-06-02T09:30:00Z"),
      endsAt: new Date("2026-06-02T10:00:00Z"),
    };
    const slots = computeSlots({ ...base, absences: [absence], bookings: [booking], closures: [closure] });
    expect(slots.map((s) => [s.startsAt.toISOString().slice(11, 16), s.capacity, s.booked])).toEqual([
      ["07:00", 1, 0],
      ["08:00", 2, 1],
    ]);
  });

  it("respects the lead time", () => {
    const slots = computeSlots({ ...base, now: new Date("2026-06-01T08:30:00Z"), minLeadHours: 24 });
    expect(slots.map((s) => s.startsAt.toISOString())).toEqual(["2026-06-02T09:00:00.000Z"]);
  });

  it("counts simultaneous permanences once in the weekly total", () => {
    const other = { ...meauxTuesday, id: "r2", startTime: "11:00", endTime: "14:00", counselorIds: ["c"] };
    const fontainebleau = { ...meauxTuesday, id: "r3", siteId: "fontainebleau" };
    expect(weeklyOpeningMinutes([meauxTuesday, other, fontainebleau], "2026-06-01")).toBe(
      5 * 60 + 3 * 60 + 30,
    );
  });
});

describe("Paris time", () => {
  it("computes the same instants as the time-zone library on both sides of the DST changes", () => {
    const rule: OpeningRule = {
      id: "r",
      siteId: "s",
      weekday: null,
      onDate: null,
      startTime: "08:00",
      endTime: "18:00",
      slotMinutes: 30,
      bufferMinutes: 0,
      validFrom: "2026-01-01",
      validTo: null,
      counselorIds: ["c"],
    };
    for (const day of ["2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26"]) {
      const slots = computeSlots({
        rules: [{ ...rule, onDate: day }],
        closures: [],
        absences: [],
        bookings: [],
        fromDay: day,
        toDay: day,
        now: new Date("2026-01-01T00:00:00Z"),
        minLeadHours: 0,
        departement: "77",
      });
      expect(slots.map((s) => s.startsAt.getTime())).toEqual(
        slotStartTimes(rule).map((time) => parisInstant(day, time).getTime()),
      );
    }
  });

  it("puts today's midnight in Paris, winter or summer, even when it is still yesterday in UTC", () => {
    expect(parisMidnight(new Date("2026-01-15T23:30:00Z")).toISOString()).toBe("2026-01-15T23:00:00.000Z");
    expect(parisMidnight(new Date("2026-07-14T22:30:00Z")).toISOString()).toBe("2026-07-14T22:00:00.000Z");
    expect(parisMidnight(new Date("2026-07-14T21:30:00Z")).toISOString()).toBe("2026-07-13T22:00:00.000Z");
  });
});

describe("slot computation on the night of the change to summer time", () => {
  it("a permanence over 2:00–2:59, which that night skips, has no slot there; 3:00 keeps its own capacity", () => {
    const night: OpeningRule = {
      id: "n",
      siteId: "s",
      weekday: null,
      onDate: "2027-03-28",
      startTime: "01:30",
      endTime: "03:30",
      slotMinutes: 30,
      bufferMinutes: 0,
      validFrom: "2027-01-01",
      validTo: null,
      counselorIds: ["c"],
    };
    const input: SlotInput = {
      rules: [night],
      closures: [],
      absences: [],
      bookings: [],
      fromDay: "2027-03-27",
      toDay: "2027-03-29",
      now: new Date("2027-01-01T00:00:00Z"),
      minLeadHours: 0,
      departement: "77",
    };
    // 1:30 in winter time, then 3:00 in summer time: 2:00 and 2:30 do not exist that night.
    expect(computeSlots(input).map((s) => [s.startsAt.toISOString(), s.capacity])).toEqual([
      ["2027-03-28T00:30:00.000Z", 1],
      ["2027-03-28T01:00:00.000Z", 1],
    ]);
    // The night of the change back to winter time lives 2:00–2:59 twice (summer time, then winter
    // time): 2:00 and 2:30 are each two slots, one hour apart, each bookable at its own instant.
    const autumn = computeSlots({
      ...input,
      rules: [{ ...night, onDate: "2027-10-31" }],
      fromDay: "2027-10-31",
      toDay: "2027-10-31",
    });
    expect(autumn.map((s) => [s.startsAt.toISOString(), s.capacity])).toEqual([
      ["2027-10-30T23:30:00.000Z", 1],
      ["2027-10-31T00:00:00.000Z", 1],
      ["2027-10-31T00:30:00.000Z", 1],
      ["2027-10-31T01:00:00.000Z", 1],
      ["2027-10-31T01:30:00.000Z", 1],
      ["2027-10-31T02:00:00.000Z", 1],
    ]);
    const booked = computeSlots({
      ...input,
      rules: [{ ...night, onDate: "2027-10-31" }],
      fromDay: "2027-10-31",
      toDay: "2027-10-31",
      bookings: [{ siteId: "s", startsAt: new Date("2027-10-31T01:30:00.000Z") }],
    });
    expect(booked.map((s) => s.booked)).toEqual([0, 0, 0, 0, 1, 0]);
  });
});

describe("correctionProblem", () => {
  const statuses = ["planned", "honoured", "missed", "excused", "cancelled"] as const;
  const targets = ["planned", "honoured", "missed", "excused"] as const;
  it("allows a correction only of a set status other than cancelled, within 7 days, attendance once started", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.constantFrom(...targets),
        fc.integer({ min: -10 * 24 * 60, max: 10 * 24 * 60 }),
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        (from, to, startOffsetMinutes, setAgoMinutes) => {
          const now = new Date("2026-06-10T09:00:00Z");
          const startsAt = new Date(now.getTime() + startOffsetMinutes * 60_000);
          const statusChangedAt = new Date(now.getTime() - setAgoMinutes * 60_000);
          const problem = correctionProblem(from, to, { startsAt, statusChangedAt }, now);
          if (from === "planned" || from === "cancelled" || from === to) {
            expect(problem).toBe("invalidTransition");
          } else if (setAgoMinutes > CORRECTION_WINDOW_DAYS * 24 * 60) {
            expect(problem).toBe("correctionTooLate");
          } else if ((to === "honoured" || to === "missed") && startOffsetMinutes > 0) {
            expect(problem).toBe("tooEarly");
          } else {
            expect(problem).toBeNull();
          }
        },
      ),
    );
  });

  it("honours before the hour a person noted arrived on the appointment's day, never a missed one", () => {
    const startsAt = new Date("2026-06-10T07:00:00Z"); // 9:00 in Paris
    const early = new Date("2026-06-10T06:47:00Z"); // 8:47
    const arrived = { startsAt, arrivedAt: early };
    expect(transitionProblem("planned", "honoured", arrived, early)).toBeNull();
    expect(transitionProblem("planned", "missed", arrived, early)).toBe("tooEarly");
    expect(transitionProblem("planned", "honoured", { startsAt, arrivedAt: null }, early)).toBe("tooEarly");
    // An arrival kept from another day does not count the day before.
    expect(transitionProblem("planned", "honoured", arrived, new Date("2026-06-09T20:00:00Z"))).toBe(
      "tooEarly",
    );
    expect(transitionProblem("planned", "honoured", { startsAt, arrivedAt: null }, startsAt)).toBeNull();
    expect(correctionProblem("missed", "honoured", { ...arrived, statusChangedAt: early }, early)).toBeNull();
  });

  it("refuses « annulée par la personne » for a person noted arrived; the service may still cancel", () => {
    const startsAt = new Date("2026-06-10T07:00:00Z");
    const arrived = { startsAt, arrivedAt: new Date("2026-06-10T06:47:00Z") };
    const early = new Date("2026-06-10T06:50:00Z");
    expect(transitionProblem("planned", "excused", arrived, early)).toBe("arrivedNotExcused");
    expect(transitionProblem("planned", "excused", { startsAt, arrivedAt: null }, early)).toBeNull();
    expect(transitionProblem("planned", "cancelled", arrived, early)).toBeNull();
  });

  it("notes an arrival only on the appointment's Paris day, while planned", () => {
    const startsAt = new Date("2026-06-10T07:00:00Z"); // 9:00 in Paris
    expect(arrivalProblem("planned", startsAt, new Date("2026-06-09T22:30:00Z"))).toBeNull(); // 0:30 Paris
    expect(arrivalProblem("planned", startsAt, new Date("2026-06-09T21:30:00Z"))).toBe("invalidTransition");
    expect(arrivalProblem("honoured", startsAt, new Date("2026-06-10T08:00:00Z"))).toBe("invalidTransition");
    expect(arrivalProblem("planned", startsAt, new Date("2026-06-10T21:59:00Z"))).toBeNull();
    expect(arrivalProblem("planned", startsAt, new Date("2026-06-10T22:01:00Z"))).toBe("invalidTransition");
  });
});

describe("nextOpeningDay", () => {
  const weekly = (weekday: number) => ({ weekday, onDate: null, validFrom: "2026-01-01", validTo: null });
  it("moves a suggested day off the weekend and public holidays", () => {
    // Saturday 12 and Sunday 13 December 2026: Monday 14.
    expect(nextOpeningDay("2026-12-12", [], "77")).toBe("2026-12-14");
    expect(nextOpeningDay("2026-12-13", [], "77")).toBe("2026-12-14");
    expect(nextOpeningDay("2026-12-14", [], "77")).toBe("2026-12-14");
    // Friday 25 December (Christmas) then the weekend: Monday 28; in Moselle the 26th is a holiday too.
    expect(nextOpeningDay("2026-12-25", [], "77")).toBe("2026-12-28");
    // Friday 1 January 2027, across the year.
    expect(nextOpeningDay("2026-12-31", [weekly(4), weekly(5)], "77")).toBe("2026-12-31");
    expect(nextOpeningDay("2027-01-01", [weekly(5)], "77")).toBe("2027-01-08");
  });
  it("lands on a day a permanence opens, never a Saturday one", () => {
    // Tuesdays and Thursdays only; a Saturday permanence does not make the Saturday a suggestion.
    const rules = [weekly(2), weekly(4), weekly(6)];
    expect(nextOpeningDay("2026-12-11", rules, "77")).toBe("2026-12-15");
    expect(nextOpeningDay("2026-12-16", rules, "77")).toBe("2026-12-17");
    // A rule stopped before, or a one-off opening, counts only on its days.
    expect(
      nextOpeningDay(
        "2026-12-14",
        [
          { ...weekly(1), validTo: "2026-12-07" },
          { ...weekly(3), onDate: "2026-12-18" },
        ],
        "77",
      ),
    ).toBe("2026-12-18");
  });
});

describe("isToFillIn", () => {
  const statuses = ["planned", "honoured", "missed", "excused", "cancelled"] as const;
  it("a past convocation without a status, or honoured at a permanence without its visit (arrival noted or not); never a future one", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.integer({ min: -10_000, max: 10_000 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (status, minutesFromNow, arrived, atAction, hasVisit) => {
          const now = new Date("2026-06-01T09:00:00Z");
          const startsAt = new Date(now.getTime() + minutesFromNow * 60_000);
          const c = {
            status,
            startsAt,
            arrivedAt: arrived ? startsAt : null,
            collectiveActionId: atAction ? "action" : null,
          };
          const expected =
            startsAt < now && (status === "planned" || (status === "honoured" && !atAction && !hasVisit));
          expect(isToFillIn(c, hasVisit, now)).toBe(expected);
        },
      ),
    );
  });

  it("honoured without the arrival noted, its visit missing: to fill in (review 2026-12-06)", () => {
    const now = new Date("2026-06-01T09:00:00Z");
    const c = {
      status: "honoured" as const,
      startsAt: new Date("2026-05-29T08:00:00Z"),
      arrivedAt: null,
      collectiveActionId: null,
    };
    expect(isToFillIn(c, false, now)).toBe(true);
    expect(isToFillIn(c, true, now)).toBe(false);
  });
});
