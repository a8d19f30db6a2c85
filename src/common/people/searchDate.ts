/**
 * A birth date typed in a people search (ADR 0011), read the same way by the server (the SQL
 * condition) and the page (a date that does not exist is said under the search box).
 */
const FRENCH_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function calendarDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/**
 * A token shaped as a date (14/03/1988, 14-03-1988, 14.03.1988, 1988-03-14): its day, or null when
 * that day does not exist (31/02/1990); not a date at all: null.
 */
export function searchDate(token: string): { date: string | null } | null {
  const french = FRENCH_DATE.exec(token);
  if (french) return { date: calendarDate(Number(french[3]), Number(french[2]), Number(french[1])) };
  const iso = ISO_DATE.exec(token);
  if (iso) return { date: calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) };
  return null;
}

/** The message under the search box when it holds a date that does not exist, else null. */
export function impossibleSearchDateMessage(input: string): string | null {
  const bad = input
    .split(/[\s,;]+/)
    .filter(Boolean)
    .find((token) => searchDate(token)?.date === null);
  return bad
    ? `Date invalide : le ${bad} n'existe pas. Saisissez une date de naissance réelle (jj/mm/aaaa).`
    : null;
}
