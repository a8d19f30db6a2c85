/**
 * Opening hours for the France services label and the committee (pure; loaded by openingHours.load.ts).
 *
 * - Weekly hours: per site, the union of the windows of the weekly rules in force on a reference day,
 *   per weekday (two permanences at the same time count once) — the agenda's own definition
 *   (`weeklyOpeningMinutes`). The label asks for at least 24 hours a week per structure.
 * - Hours held in a month: every occurrence of the rules (weekly and one-off) on the month's days, except
 *   public holidays (no slot is offered then), minus the site's closures, and minus the times when every
 *   counselor of the rule is absent (a permanence with one counselor present is held). Simultaneous
 *   rules of one site count once. Only the time before `now` is held; the rest of the month is planned.
 * Hours are durations, not people: no small-count protection applies.
 */
import { addDays, isoWeekday, parisDay } from "../../../common/calendar";
import { parisInstant } from "../../core/parisTime";
import {
  type CounselorAbsence,
  minutesOf,
  type OpeningRule,
  type SiteClosure,
  weeklyOpeningMinutes,
} from "../agenda/rules";

/** The France services label asks for at least this many opening hours a week. */
export const LABEL_WEEKLY_HOURS = 24;

type Span = [number, number]; // [start, end) in epoch milliseconds

/** Sorted, disjoint union of spans. */
export function unionOf(spans: Span[]): Span[] {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** `span` minus the (any order, possibly overlapping) `holes`. */
export function minus(span: Span, holes: Span[]): Span[] {
  let pieces: Span[] = [span];
  for (const [hs, he] of holes) {
    if (he <= span[0] || hs >= span[1]) continue;
    pieces = pieces.flatMap(([s, e]): Span[] => {
      if (he <= s || hs >= e) return [[s, e]];
      const kept: Span[] = [];
      if (hs > s) kept.push([s, hs]);
      if (he < e) kept.push([he, e]);
      return kept;
    });
  }
  return pieces;
}

const length = (spans: Span[]): number => spans.reduce((sum, [s, e]) => sum + (e - s), 0);

/**
 * The UTC instant of a Paris time on a day, fast: Paris changes its offset only at night (2:00 or
 * 3:00), so from 4:00 on a day has one offset, read once; earlier times go through the time zone.
 */
function instantsOf(day: string): (time: string) => number {
  const offset = Date.parse(`${day}T12:00:00Z`) - parisInstant(day, "12:00").getTime();
  return (time) =>
    minutesOf(time) >= 240 ? Date.parse(`${day}T${time}:00Z`) - offset : parisInstant(day, time).getTime();
}

export interface HeldInput {
  rules: OpeningRule[];
  closures: SiteClosure[];
  absences: CounselorAbsence[];
  /** Public holidays (YYYY-MM-DD) of the structure's département over the months. */
  holidays: Set<string>;
  /** Months "YYYY-MM", Paris calendar. */
  months: string[];
  now: Date;
}

export interface SiteMonthHours {
  /** Minutes the rules planned (holidays excepted), the whole month. */
  planned: number;
  /** Minutes actually held: before now, minus closures and the times every counselor was absent. */
  held: number;
}

/** The days of a month with their ISO weekday, computed once per month (every site walks them). */
const monthDays = new Map<string, { day: string; weekday: number }[]>();
function daysOf(month: string): { day: string; weekday: number }[] {
  const known = monthDays.get(month);
  if (known) return known;
  const [y, m] = month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  const days: { day: string; weekday: number }[] = [];
  for (let day = `${month}-01`; day < next; day = addDays(day, 1))
    days.push({ day, weekday: isoWeekday(day) });
  if (monthDays.size > 1_000) monthDays.clear();
  monthDays.set(month, days);
  return days;
}

/** Per site and month (site id → month → minutes), for the sites having a rule. */
export function hoursByMonth(input: HeldInput): Map<string, Map<string, SiteMonthHours>> {
  const nowMs = input.now.getTime();
  const weekly = new Map<number, OpeningRule[]>();
  const oneOff = new Map<string, OpeningRule[]>();
  for (const rule of input.rules) {
    if (rule.onDate !== null) oneOff.set(rule.onDate, [...(oneOff.get(rule.onDate) ?? []), rule]);
    else if (rule.weekday !== null) weekly.set(rule.weekday, [...(weekly.get(rule.weekday) ?? []), rule]);
  }
  const closuresOf = new Map<string, Span[]>();
  for (const c of input.closures)
    closuresOf.set(c.siteId, [
      ...(closuresOf.get(c.siteId) ?? []),
      [c.startsAt.getTime(), c.endsAt.getTime()],
    ]);
  const absencesOf = new Map<string, Span[]>();
  for (const a of input.absences)
    absencesOf.set(a.userId, [
      ...(absencesOf.get(a.userId) ?? []),
      [a.startsAt.getTime(), a.endsAt.getTime()],
    ]);

  const result = new Map<string, Map<string, SiteMonthHours>>();
  for (const month of input.months) {
    for (const { day, weekday } of daysOf(month)) {
      if (input.holidays.has(day)) continue;
      const rules = [
        ...(weekly.get(weekday) ?? []).filter(
          (r) => day >= r.validFrom && (r.validTo === null || day <= r.validTo),
        ),
        ...(oneOff.get(day) ?? []),
      ];
      if (rules.length === 0) continue;
      const at = instantsOf(day);
      const plannedBySite = new Map<string, Span[]>();
      const heldBySite = new Map<string, Span[]>();
      for (const rule of rules) {
        const window: Span = [at(rule.startTime), at(rule.endTime)];
        plannedBySite.set(rule.siteId, [...(plannedBySite.get(rule.siteId) ?? []), window]);
        const past: Span = [window[0], Math.min(window[1], nowMs)];
        if (past[1] <= past[0]) continue;
        const open = minus(past, closuresOf.get(rule.siteId) ?? []);
        const held = [...new Set(rule.counselorIds)].flatMap((userId) =>
          open.flatMap((span) => minus(span, absencesOf.get(userId) ?? [])),
        );
        heldBySite.set(rule.siteId, [...(heldBySite.get(rule.siteId) ?? []), ...held]);
      }
      for (const [siteId, spans] of plannedBySite) {
        const bySite = result.get(siteId) ?? new Map<string, SiteMonthHours>();
        result.set(siteId, bySite);
        const entry = bySite.get(month) ?? { planned: 0, held: 0 };
        entry.planned += length(unionOf(spans)) / 60_000;
        entry.held += length(unionOf(heldBySite.get(siteId) ?? [])) / 60_000;
        bySite.set(month, entry);
      }
    }
  }
  return result;
}

/** Weekly opening minutes per site, from the weekly rules in force on `onDay`. */
export function weeklyMinutesBySite(rules: OpeningRule[], onDay: string): Map<string, number> {
  const bySite = new Map<string, OpeningRule[]>();
  for (const r of rules) bySite.set(r.siteId, [...(bySite.get(r.siteId) ?? []), r]);
  return new Map([...bySite].map(([siteId, list]) => [siteId, weeklyOpeningMinutes(list, onDay)]));
}

/** The day whose rules give the weekly hours: the period's last day, or today if the period runs on. */
export function referenceDay(lastMonth: string, now: Date): string {
  const [y, m] = lastMonth.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  const last = addDays(next, -1);
  const today = parisDay(now);
  return today < last ? today : last;
}
