import { parisDay } from "../../common/calendar";

/** Dates and phones as people read them: one family for the whole app (see common/dateFormat.ts). */
export {
  dayOfMonth,
  formatDate,
  formatDateTime,
  formatDateTime as formatAppointment,
  formatDay,
  formatDuration,
  formatLongDate,
  formatShortDate,
  formatShortDateTime,
  formatTime,
  formatTimeOfDay,
} from "../../common/dateFormat";
export { formatPhone } from "../../common/phone";

/**
 * The hint of a date field (DSFR: the expected format under the label). The browser draws the field
 * in its own language; the agents' French browsers write JJ/MM/AAAA, as the hint says.
 */
export const DATE_HINT = "Format attendu : JJ/MM/AAAA";
/** The hint of a date-and-time field. */
export const DATE_TIME_HINT = "Format attendu : JJ/MM/AAAA HH:MM";

/** The Paris calendar day (YYYY-MM-DD) of an instant, today by default. */
export function parisDayOf(iso?: string): string {
  return parisDay(iso ? new Date(iso) : new Date());
}
