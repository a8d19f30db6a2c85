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

/** The Paris calendar day (YYYY-MM-DD) of an instant, today by default. */
export function parisDayOf(iso?: string): string {
  return parisDay(iso ? new Date(iso) : new Date());
}
