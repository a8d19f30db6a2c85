import { addDays, isoWeekday, parisDay } from "../../../common/calendar";
import { isoDate } from "../../../common/dates";

/** A week of the agenda, Monday to Sunday, as Paris calendar days (YYYY-MM-DD). */
export interface Week {
  from: string;
  to: string;
}

/** The Monday of the week holding a calendar day. */
export function mondayOf(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

/** The week (Monday to Sunday) holding a calendar day. */
export function weekOf(day: string): Week {
  const from = mondayOf(day);
  return { from, to: addDays(from, 6) };
}

/**
 * The day the address asks for (`?du=`). A missing, malformed or out-of-range value (one whose week
 * the API would refuse) is `today`: the page never fails on its address.
 */
export function dayFromParam(value: string | null, today: string): string {
  if (value === null || !isoDate.safeParse(value).success) return today;
  const week = weekOf(value);
  return isoDate.safeParse(week.from).success && isoDate.safeParse(week.to).success ? value : today;
}

/** True when an instant falls in the week, read in Paris (summer and winter time alike). */
export function isInWeek(instant: string, week: Week): boolean {
  const day = parisDay(new Date(instant));
  return day >= week.from && day <= week.to;
}

/** The fields of a permanence rule that say on which days it opens. */
export interface OpeningDays {
  weekday: number | null;
  onDate: string | null;
  validFrom: string;
  validTo: string | null;
}

function opensOn(rule: OpeningDays, day: string): boolean {
  if (rule.onDate !== null) return rule.onDate === day;
  return (
    rule.weekday === isoWeekday(day) &&
    rule.validFrom <= day &&
    (rule.validTo === null || day <= rule.validTo)
  );
}

/**
 * The Saturday and/or Sunday of a week that the calendar shows besides Monday–Friday: those where a
 * permanence opens or an appointment (convocation, collective action) starts, read in Paris.
 */
export function weekendDaysToShow(
  week: Week,
  starts: readonly string[],
  rules: readonly OpeningDays[],
): string[] {
  const weekend = [addDays(week.from, 5), addDays(week.from, 6)];
  const eventDays = new Set(starts.map((instant) => parisDay(new Date(instant))));
  return weekend.filter((day) => eventDays.has(day) || rules.some((rule) => opensOn(rule, day)));
}

/**
 * The day "Précédent" (-1) or "Suivant" (+1) goes to in the day view: the next day when a permanence
 * can take place, so Friday's "Suivant" is Monday. A Saturday or Sunday counts only where one of
 * the rules opens then (the week calendar shows those days too); a public holiday never does (no
 * slot is open on one, as `nextOpeningDay` on the server): Thursday 24 December's "Suivant" is
 * Monday 28.
 */
export function stepDay(
  day: string,
  direction: 1 | -1,
  rules: readonly OpeningDays[],
  holidays: ReadonlySet<string> = new Set(),
): string {
  const closed = (d: string): boolean =>
    holidays.has(d) || (isoWeekday(d) >= 6 && !rules.some((rule) => opensOn(rule, d)));
  let next = addDays(day, direction);
  // A fortnight at most: a weekend, then holidays that follow (Alsace-Moselle's 25 and 26 December).
  for (let i = 0; i < 14 && closed(next); i++) next = addDays(next, direction);
  return next;
}
