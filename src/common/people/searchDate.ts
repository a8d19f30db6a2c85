/**
 * A birth date typed in a people search (ADR 0011), read the same way by the server (the SQL
 * condition) and the page (a date that does not exist is said under the search box).
 */
const FRENCH_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * Eight digits, ddmmyyyy (22071984): a date only when that day exists, from 1900 to this year (a
 * birth date), else phone digits (06122030, the start of a phone number).
 */
const COMPACT_DATE = /^(\d{2})(\d{2})(\d{4})$/;
const COMPACT_FIRST_YEAR = 1900;

function calendarDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/**
 * A token shaped as a date (14/03/1988, 14-03-1988, 14.03.1988, 1988-03-14): its day, or null when
 * that day does not exist (31/02/1990); not a date at all: null. Eight digits (22071984) are a date
 * only when they make a day that exists, from 1900 to this year: otherwise (31021984, 06123456) they are not
 * a date at all — the beginning of a phone number, searched as such.
 */
export function searchDate(token: string): { date: string | null } | null {
  const compact = COMPACT_DATE.exec(token);
  if (compact) {
    const year = Number(compact[3]);
    if (year < COMPACT_FIRST_YEAR || year > new Date().getUTCFullYear()) return null;
    const date = calendarDate(year, Number(compact[2]), Number(compact[1]));
    return date ? { date } : null;
  }
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
