import { isoWeekday } from "../../common/calendar";
import { isoDate } from "../../common/dates";
import { holidayName } from "../../common/holidays";

/**
 * What a form says under a date set on a day the structure is usually closed: a public holiday of
 * its département (« Ce jour est férié (Noël). ») or a Saturday or Sunday. A warning, never a
 * refusal (a forum may be held on a Saturday); null on a working day or an incomplete date.
 */
export function closedDayWarning(day: string, departement: string | null): string | null {
  if (!isoDate.safeParse(day).success) return null;
  const holiday = holidayName(day, departement ?? "");
  if (holiday) return `Ce jour est férié (${holiday}).`;
  const weekday = isoWeekday(day);
  if (weekday === 6) return "Ce jour est un samedi.";
  if (weekday === 7) return "Ce jour est un dimanche.";
  return null;
}
