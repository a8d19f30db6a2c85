/**
 * The day of a permanence (an opening rule) in words, as the permanences page, the forms that change
 * one and the direction's home write it. Isomorphic.
 */
import { formatDate, weekdayNames } from "../dateFormat";

/** "mardi" for ISO weekday 2 (1 = Monday … 7 = Sunday). */
export function weekdayName(isoWeekday: number): string {
  return weekdayNames[isoWeekday - 1] ?? "";
}

/** "chaque mardi" for a weekly permanence, "le 12 juin 2026" for a one-off opening (no weekday). */
export function permanenceDay(rule: { weekday: number | null; onDate: string | null }): string {
  return rule.weekday ? `chaque ${weekdayName(rule.weekday)}` : `le ${formatDate(rule.onDate)}`;
}
