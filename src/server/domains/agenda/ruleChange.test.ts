import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parisInstant } from "../../core/parisTime";
import { type BookedSeat, splitRule, strandedBookings } from "./ruleChange";
import type { OpeningRule } from "./rules";

const tuesday: OpeningRule = {
  id: "r1",
  siteId: "s1",
  weekday: 2,
  onDate: null,
  startTime: "09:00",
  endTime: "12:00",
  slotMinutes: 30,
  bufferMinutes: 0,
  validFrom: "2026-01-01",
  validTo: null,
  counselorIds: ["c1", "c2"],
};
// Tuesdays of June 2026 (no public holiday), at the rule's slot times.
const days = ["2026-06-02", "2026-06-09", "2026-06-16", "2026-06-23", "2026-06-30"];
const times = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"];
const booking = fc
  .record({
    day: fc.constantFrom(...days),
    time: fc.constantFrom(...times),
    seat: fc.integer({ min: 0, max: 1 }),
  })
  .map(({ day, time, seat }) => ({ day, time, seat }));
const asSeats = (list: { day: string; time: string; seat: number }[]): BookedSeat[] => {
  const unique = new Map(list.map((b) => [`${b.day}|${b.time}|${b.seat}`, b]));
  return [...unique.values()].map((b, i) => ({
    id: `b${i}`,
    siteId: "s1",
    startsAt: parisInstant(b.day, b.time),
    seat: b.seat,
  }));
};

describe("strandedBookings", () => {
  it("keeping the same hours strands nothing, whatever the date of effect", () => {
    fc.assert(
      fc.property(fc.array(booking, { maxLength: 12 }), fc.constantFrom(...days), (list, effectiveFrom) => {
        const bookings = asSeats(list);
        const { ended, replacement } = splitRule(tuesday, effectiveFrom, tuesday);
        expect(
          strandedBookings({ before: [tuesday], after: [ended, replacement], bookings, departement: "77" }),
        ).toEqual([]);
      }),
    );
  });

  it("a booking is stranded exactly when it is on or after the date, outside the new hours or seats", () => {
    fc.assert(
      fc.property(
        fc.array(booking, { maxLength: 12 }),
        fc.constantFrom(...days),
        fc.constantFrom("09:00", "10:00", "11:00"),
        fc.integer({ min: 1, max: 2 }),
        (list, effectiveFrom, startTime, counselors) => {
          const bookings = asSeats(list);
          const { ended, replacement } = splitRule(tuesday, effectiveFrom, {
            ...tuesday,
            startTime,
            counselorIds: tuesday.counselorIds.slice(0, counselors),
          });
          const stranded = strandedBookings({
            before: [tuesday],
            after: [ended, replacement],
            bookings,
            departement: "77",
          });
          // The rule written out: from the date on, a booking outside the new hours is stranded, and
          // so is one ranked (by seat, among the slot's bookings) past the new number of counselors.
          const keyed = bookings.map((b) => {
            const day = days.find(
              (d) => parisInstant(d, times[0]!) <= b.startsAt && b.startsAt <= parisInstant(d, "11:30"),
            )!;
            const time = times.find((tm) => parisInstant(day, tm).getTime() === b.startsAt.getTime())!;
            return { b, day, time };
          });
          const rank = (x: (typeof keyed)[number]) =>
            keyed.filter((y) => y.day === x.day && y.time === x.time && y.b.seat < x.b.seat).length;
          const expected = keyed
            .filter((x) => x.day >= effectiveFrom && (x.time < startTime || rank(x) >= counselors))
            .map((x) => x.b);
          expect(stranded.map((b) => b.id).sort()).toEqual(expected.map((b) => b.id).sort());
        },
      ),
    );
  });

  it("a booking no rule held before is not the change's doing", () => {
    const onMonday: BookedSeat = {
      id: "m",
      siteId: "s1",
      startsAt: parisInstant("2026-06-15", "09:00"),
      seat: 0,
    };
    expect(
      strandedBookings({ before: [tuesday], after: [], bookings: [onMonday], departement: "77" }),
    ).toEqual([]);
  });
});
