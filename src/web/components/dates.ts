/** Dates as the agents read them: French, Europe/Paris. */
const dateFormat = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "long" });
const dateTimeFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  dateStyle: "short",
  timeStyle: "medium",
});

/** A calendar date (YYYY-MM-DD) has no time zone: read it at noon UTC so the day never shifts. */
export function formatDate(isoDay: string | null): string {
  return isoDay ? dateFormat.format(new Date(`${isoDay}T12:00:00Z`)) : "—";
}

export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}
