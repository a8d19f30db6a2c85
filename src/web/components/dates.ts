import { parisDay } from "../../common/calendar";

/** Dates as the agents read them: French, Europe/Paris. */
const dateFormat = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "long" });
const dateTimeFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  dateStyle: "short",
  timeStyle: "medium",
});
const dayFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  weekday: "long",
  day: "numeric",
  month: "long",
});
const timeFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  hour: "2-digit",
  minute: "2-digit",
});

/** A calendar date (YYYY-MM-DD) has no time zone: read it at noon UTC so the day never shifts. */
export function formatDate(isoDay: string | null): string {
  return isoDay ? dateFormat.format(new Date(`${isoDay}T12:00:00Z`)) : "—";
}

export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/** "mardi 2 juin" for an instant, in Paris. */
export function formatDay(iso: string): string {
  return dayFormat.format(new Date(iso));
}

/** "09:00" for an instant, in Paris. */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** "mardi 2 juin à 09:00". */
export function formatAppointment(iso: string): string {
  return `${formatDay(iso)} à ${formatTime(iso)}`;
}

/** The Paris calendar day (YYYY-MM-DD) of an instant, today by default. */
export function parisDayOf(iso?: string): string {
  return parisDay(iso ? new Date(iso) : new Date());
}
