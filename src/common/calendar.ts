/** Calendar days (YYYY-MM-DD) as the structure lives them: in Europe/Paris. Isomorphic. */
export const TIME_ZONE = "Europe/Paris";

/** Minutes since midnight of a time of day "HH:MM". */
export function minutesOf(time: string): number {
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return hh * 60 + mm;
}

/** Adds days to a calendar day, without time zones involved. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar day. */
export function isoWeekday(day: string): number {
  const w = new Date(`${day}T12:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

/**
 * `toLocaleDateString("sv-SE", { timeZone })` with its formatter made once: that call builds a new
 * `Intl.DateTimeFormat` each time (tens of microseconds; the people list called it per row).
 */
const parisDayFormat = new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE });

/** The Paris calendar day of an instant. */
export function parisDay(instant: Date): string {
  // An invalid date: `format` throws where `toLocaleDateString` says "Invalid Date".
  if (Number.isNaN(instant.getTime())) return instant.toLocaleDateString("sv-SE", { timeZone: TIME_ZONE });
  return parisDayFormat.format(instant);
}

/** A French date/time formatter in Paris time (dates shown to users and written in files). */
export function parisFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("fr-FR", { timeZone: TIME_ZONE, ...options });
}
