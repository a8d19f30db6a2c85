import { attendanceTooEarly } from "../../../common/agenda/attendance";
import { addDays, isoWeekday, minutesOf, parisDay, TIME_ZONE } from "../../../common/calendar";
import { publicHolidays } from "../../../common/holidays";
import { parisInstant } from "../../core/parisTime";

/**
 * Slot maths, pure: slots are computed from the opening rules each time, never stored, so changing
 * a rule from a date on needs no clean-up. Times are local to Europe/Paris; results are UTC instants.
 */
export { addDays, isoWeekday, minutesOf, parisDay, parisInstant, publicHolidays };

/**
 * Today's midnight in Paris, by this clock: a closure or an absence that began before it has
 * started (days gone by keep it), and lifting one ends it there.
 */
export function parisMidnight(now: Date): Date {
  return parisInstant(parisDay(now), "00:00");
}

export interface OpeningRule {
  id: string;
  siteId: string;
  /** ISO weekday 1 (Monday) … 7 (Sunday) for a weekly rule; null for a one-off opening. */
  weekday: number | null;
  /** The day of a one-off opening (YYYY-MM-DD); null for a weekly rule. */
  onDate: string | null;
  startTime: string; // HH:MM
  endTime: string; // HH:MM
  slotMinutes: number;
  bufferMinutes: number;
  validFrom: string; // YYYY-MM-DD
  validTo: string | null;
  counselorIds: string[];
}

export interface Interval {
  startsAt: Date;
  endsAt: Date;
}
export interface SiteClosure extends Interval {
  siteId: string;
}
export interface CounselorAbsence extends Interval {
  userId: string;
}
export interface Booking {
  siteId: string;
  startsAt: Date;
}

export interface Slot {
  siteId: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  booked: number;
}

export interface SlotInput {
  rules: OpeningRule[];
  closures: SiteClosure[];
  absences: CounselorAbsence[];
  bookings: Booking[];
  /** First and last Paris calendar days searched (inclusive). */
  fromDay: string;
  toDay: string;
  now: Date;
  minLeadHours: number;
  /** Département code: 57, 67 and 68 have Alsace-Moselle's extra holidays. */
  departement: string;
}

export const MAX_SEARCH_DAYS = 92;

/**
 * The same for many times of one day, faster: Paris changes its UTC offset only at night (2:00 or
 * 3:00), so from 4:00 on, a day has one offset, read once at noon.
 */
function dayInstants(day: string): (time: string) => Date[] {
  const noon = parisInstant(day, "12:00").getTime();
  const offset = Date.parse(`${day}T12:00:00Z`) - noon;
  return (time) => {
    if (minutesOf(time) >= 240) return [new Date(Date.parse(`${day}T${time}:00Z`) - offset)];
    // A time the change to summer time skips (2:00–2:59 on the last Sunday of March) is no slot: read
    // as 3:00–3:59, it was the next hour's slot a second time, its counselor counted twice. A time the
    // change back to winter time lives twice (2:00–2:59 on the last Sunday of October) is two slots,
    // one hour apart: summer time, then winter time.
    const instant = parisInstant(day, time).getTime();
    return [instant - HOUR_MS, instant, instant + HOUR_MS]
      .map((ms) => new Date(ms))
      .filter((candidate) => parisClock.format(candidate) === time);
  };
}
const HOUR_MS = 3_600_000;
const parisClock = new Intl.DateTimeFormat("fr-FR", {
  timeZone: TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function ruleAppliesOn(
  rule: Pick<OpeningRule, "weekday" | "onDate" | "validFrom" | "validTo">,
  day: string,
): boolean {
  if (rule.onDate !== null) return rule.onDate === day;
  return (
    rule.weekday === isoWeekday(day) &&
    day >= rule.validFrom &&
    (rule.validTo === null || day <= rule.validTo)
  );
}

/**
 * The first day from `day` on (itself included) when a permanence can take place: a weekday that is
 * not a public holiday and, when the structure has opening rules, one of them opens that day. A
 * suggested reconvocation date lands there rather than on a Saturday, a Sunday or a closed day.
 * Looked for over `MAX_SEARCH_DAYS`; without an opening in that time, the first working day.
 */
export function nextOpeningDay(
  day: string,
  rules: readonly Pick<OpeningRule, "weekday" | "onDate" | "validFrom" | "validTo">[],
  departement: string,
): string {
  const years = [Number(day.slice(0, 4)), Number(day.slice(0, 4)) + 1];
  const holidays = publicHolidays(years, departement);
  const working = (d: string): boolean => isoWeekday(d) <= 5 && !holidays.has(d);
  let firstWorking: string | null = null;
  for (let d = day, i = 0; i < MAX_SEARCH_DAYS; d = addDays(d, 1), i++) {
    if (!working(d)) continue;
    firstWorking ??= d;
    if (rules.length === 0 || rules.some((rule) => ruleAppliesOn(rule, d))) return d;
  }
  return firstWorking ?? day;
}

/** Start times (HH:MM) of a rule's slots: each slot then its buffer, the last slot ending by the close. */
export function slotStartTimes(
  rule: Pick<OpeningRule, "startTime" | "endTime" | "slotMinutes" | "bufferMinutes">,
): string[] {
  const times: string[] = [];
  const end = minutesOf(rule.endTime);
  const step = rule.slotMinutes + rule.bufferMinutes;
  for (let t = minutesOf(rule.startTime); t + rule.slotMinutes <= end; t += step) times.push(timeOf(t));
  return times;
}

const overlaps = (a: Interval, b: Interval): boolean => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/**
 * The slots of the window: rule occurrences minus holidays and site closures, each with a capacity
 * equal to the rule's counselors not absent at that time (rules of one site starting at the same
 * time add up), minus those already booked; none in the past or sooner than the lead time.
 * Slots with no capacity are dropped; full slots are kept with `booked >= capacity`.
 */
export function computeSlots(input: SlotInput): Slot[] {
  const earliest = new Date(input.now.getTime() + input.minLeadHours * 3_600_000);
  const years = [Number(input.fromDay.slice(0, 4)), Number(input.toDay.slice(0, 4))];
  const holidays = publicHolidays([...new Set(years)], input.departement);
  const bySlot = new Map<string, Slot>();
  for (
    let day = input.fromDay, i = 0;
    day <= input.toDay && i < MAX_SEARCH_DAYS;
    day = addDays(day, 1), i++
  ) {
    if (holidays.has(day)) continue;
    const instant = dayInstants(day);
    for (const rule of input.rules) {
      if (!ruleAppliesOn(rule, day)) continue;
      for (const startsAt of slotStartTimes(rule).flatMap(instant)) {
        const endsAt = new Date(startsAt.getTime() + rule.slotMinutes * 60_000);
        const slot = { startsAt, endsAt };
        if (startsAt < earliest) continue;
        if (input.closures.some((c) => c.siteId === rule.siteId && overlaps(c, slot))) continue;
        const present =
          new Set(rule.counselorIds).size -
          new Set(
            input.absences
              .filter((a) => rule.counselorIds.includes(a.userId) && overlaps(a, slot))
              .map((a) => a.userId),
          ).size;
        if (present <= 0) continue;
        const key = `${rule.siteId}|${startsAt.toISOString()}`;
        const existing = bySlot.get(key);
        if (existing) {
          existing.capacity += present;
          existing.endsAt = existing.endsAt > endsAt ? existing.endsAt : endsAt;
        } else {
          bySlot.set(key, { siteId: rule.siteId, startsAt, endsAt, capacity: present, booked: 0 });
        }
      }
    }
  }
  for (const booking of input.bookings) {
    const slot = bySlot.get(`${booking.siteId}|${booking.startsAt.toISOString()}`);
    if (slot) slot.booked += 1;
  }
  return [...bySlot.values()].sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.siteId.localeCompare(b.siteId),
  );
}

/**
 * Weekly opening of a structure, in minutes, from the weekly rules valid on a day: per site and
 * weekday, the union of the rules' windows (simultaneous permanences count once).
 */
export function weeklyOpeningMinutes(rules: OpeningRule[], onDay: string): number {
  const windows = new Map<string, [number, number][]>();
  for (const r of rules) {
    if (r.weekday === null || r.validFrom > onDay || (r.validTo !== null && onDay > r.validTo)) continue;
    const key = `${r.siteId}|${r.weekday}`;
    windows.set(key, [...(windows.get(key) ?? []), [minutesOf(r.startTime), minutesOf(r.endTime)]]);
  }
  let total = 0;
  for (const list of windows.values()) {
    list.sort((a, b) => a[0] - b[0]);
    let [start, end] = list[0] as [number, number];
    for (const [s, e] of list.slice(1)) {
      if (s > end) {
        total += end - start;
        [start, end] = [s, e];
      } else end = Math.max(end, e);
    }
    total += end - start;
  }
  return total;
}

export type ConvocationStatus = "planned" | "honoured" | "missed" | "excused" | "cancelled";

/**
 * Convocation lifecycle: only a planned convocation changes. Honoured and missed need the
 * appointment to have started, or, for honoured, the person noted arrived on its day
 * (`attendanceTooEarly`); the person (excused) or the service (cancelled) may cancel before. A
 * person noted arrived came: they did not cancel (`arrivedNotExcused`; the arrival is taken back
 * first if it was a mistake).
 */
export function transitionProblem(
  from: ConvocationStatus,
  to: ConvocationStatus,
  c: { startsAt: Date; arrivedAt: Date | null },
  now: Date,
): "invalidTransition" | "tooEarly" | "arrivedNotExcused" | null {
  if (from !== "planned" || to === "planned") return "invalidTransition";
  if (to === "excused" && c.arrivedAt !== null) return "arrivedNotExcused";
  if ((to === "honoured" || to === "missed") && attendanceTooEarly(to, c, now)) return "tooEarly";
  return null;
}

/**
 * A past convocation is "to fill in" while it has no status (still planned), or while its visit is
 * missing: it was marked honoured — the person noted « Arrivé·e » first or not — and no visit was
 * recorded (a collective action's attendance calls for none). `listConvocations`' `toFillInBefore`
 * says the same in SQL.
 */
export function isToFillIn(
  c: {
    status: ConvocationStatus;
    startsAt: Date;
    arrivedAt: Date | null;
    collectiveActionId: string | null;
  },
  hasVisit: boolean,
  now: Date,
): boolean {
  if (c.startsAt >= now) return false;
  return c.status === "planned" || isVisitToRecord(c, hasVisit);
}

/**
 * Honoured at a permanence and its visit not recorded, whether or not the arrival was noted (the
 * status may be set straight away): the visit, its démarches and needs are missing all the same
 * (ADR 0014 addendum 2026-12-06, evening).
 */
export function isVisitToRecord(
  c: { status: ConvocationStatus; collectiveActionId: string | null },
  hasVisit: boolean,
): boolean {
  return c.status === "honoured" && c.collectiveActionId === null && !hasVisit;
}

/** The lowest free seat of a slot, or null when the slot is full. */
export function freeSeat(capacity: number, takenSeats: number[]): number | null {
  for (let seat = 1; seat <= capacity; seat++) if (!takenSeats.includes(seat)) return seat;
  return null;
}

/** A status set by mistake may be corrected for this long after it was set (ADR 0014). */
export const CORRECTION_WINDOW_DAYS = 7;

/** The statuses a correction may give: back to planned (undo), or attendance, or the person's cancellation. */
export type CorrectedStatus = Exclude<ConvocationStatus, "cancelled">;

/**
 * Whether a set status may be corrected into `to`: only a status that was set (not planned), not a
 * cancellation by the service (the person was told, and a reschedule hangs on it), within the window
 * after it was set; attendance needs the appointment to have started. The person having been told
 * of a cancellation is checked by the use case (it needs the outbox).
 */
export function correctionProblem(
  from: ConvocationStatus,
  to: CorrectedStatus,
  c: { startsAt: Date; statusChangedAt: Date | null; arrivedAt?: Date | null },
  now: Date,
): "invalidTransition" | "tooEarly" | "correctionTooLate" | null {
  if (from === "planned" || from === "cancelled" || from === to) return "invalidTransition";
  const setAt = c.statusChangedAt ?? c.startsAt;
  if (now.getTime() - setAt.getTime() > CORRECTION_WINDOW_DAYS * 86_400_000) return "correctionTooLate";
  if (
    (to === "honoured" || to === "missed") &&
    attendanceTooEarly(to, { startsAt: c.startsAt, arrivedAt: c.arrivedAt ?? null }, now)
  )
    return "tooEarly";
  return null;
}

/** The counselor notes the arrival of a planned person on the appointment's day (Paris) only. */
export function arrivalProblem(
  status: ConvocationStatus,
  startsAt: Date,
  now: Date,
): "invalidTransition" | null {
  if (status !== "planned" || parisDay(now) !== parisDay(startsAt)) return "invalidTransition";
  return null;
}
