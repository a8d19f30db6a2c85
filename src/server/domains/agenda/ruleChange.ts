import { addDays, parisDay } from "../../../common/calendar";
import { type CounselorAbsence, computeSlots, type OpeningRule, type SiteClosure } from "./rules";

/** A planned convocation, as the check of a rule change sees it. */
export interface BookedSeat {
  id: string;
  siteId: string;
  startsAt: Date;
  seat: number;
}

/**
 * The weekly rule that replaces `old` from `effectiveFrom` on: `old` ends the day before (it keeps
 * the past), the new one starts that day and keeps the old end of validity unless given another.
 */
export function splitRule(
  old: OpeningRule,
  effectiveFrom: string,
  changes: Omit<OpeningRule, "id" | "siteId" | "onDate" | "validFrom">,
): { ended: OpeningRule; replacement: OpeningRule } {
  return {
    ended: { ...old, validTo: addDays(effectiveFrom, -1) },
    replacement: {
      ...old,
      ...changes,
      id: `${old.id}-from-${effectiveFrom}`,
      onDate: null,
      validFrom: effectiveFrom,
    },
  };
}

/** What opens a site's slots: the rules, minus closures and the absences of their counselors. */
export interface Openings {
  rules: OpeningRule[];
  closures: SiteClosure[];
  absences: CounselorAbsence[];
}

const asOpenings = (o: OpeningRule[] | Openings): Openings =>
  Array.isArray(o) ? { rules: o, closures: [], absences: [] } : o;

/** Which bookings the openings hold: an open slot at their time, and their seat within its capacity. */
function heldBy(openings: Openings, bookings: BookedSeat[], departement: string): Set<string> {
  const held = new Set<string>();
  const byDay = new Map<string, BookedSeat[]>();
  for (const b of bookings) {
    const day = parisDay(b.startsAt);
    byDay.set(day, [...(byDay.get(day) ?? []), b]);
  }
  for (const [day, ofDay] of byDay) {
    const slots = computeSlots({
      ...openings,
      bookings: [],
      fromDay: day,
      toDay: day,
      now: new Date(0),
      minLeadHours: 0,
      departement,
    });
    const capacity = new Map(slots.map((s) => [`${s.siteId}|${s.startsAt.toISOString()}`, s.capacity]));
    const atSlot = new Map<string, BookedSeat[]>();
    for (const b of ofDay) {
      const key = `${b.siteId}|${b.startsAt.toISOString()}`;
      atSlot.set(key, [...(atSlot.get(key) ?? []), b]);
    }
    for (const [key, seated] of atSlot) {
      const room = capacity.get(key) ?? 0;
      for (const b of seated.sort((x, y) => x.seat - y.seat).slice(0, room)) held.add(b.id);
    }
  }
  return held;
}

/**
 * The planned convocations a change of the openings (a rule changed or stopped, a closure, an
 * absence) would leave outside them: held before the change (their slot existed, with room for their
 * seat), not held after. Convocations that nothing held before (a one-off arrangement, a past change)
 * are not the change's doing.
 */
export function strandedBookings(input: {
  before: OpeningRule[] | Openings;
  after: OpeningRule[] | Openings;
  bookings: BookedSeat[];
  departement: string;
  /** The département after the change, when it changes too (its public holidays). */
  departementAfter?: string | undefined;
}): BookedSeat[] {
  const before = heldBy(asOpenings(input.before), input.bookings, input.departement);
  const after = heldBy(asOpenings(input.after), input.bookings, input.departementAfter ?? input.departement);
  return input.bookings.filter((b) => before.has(b.id) && !after.has(b.id));
}
