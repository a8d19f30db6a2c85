/**
 * The one family of date formats that people read, on screen, in SMS and e-mails, and in letters
 * (French public-service usage, Europe/Paris time). Isomorphic.
 *
 *   formatDateTime  "lundi 1er décembre 2026 à 13 h 30"   an appointment, an event
 *   formatLongDate  "lundi 1er décembre 2026"             a day, in full
 *   formatDate      "1er décembre 2026"                   a date in running text
 *   formatDay       "lundi 1er décembre"                  a day inside a known week
 *   formatDayRange  "du lundi 7 au dimanche 13 décembre 2026"   a period of days
 *   formatTime      "13 h 30", "9 h 00"                   never seconds
 *   formatTimeOfDay "9 h 00" from "09:00"                 an opening's hours (no day)
 *   formatDuration  "27 h 30", "24 h", "45 min"           a length of time (weekly hours)
 *   formatHours     "27 h 30", "0 h"                      an amount of opening hours (a figure)
 *   formatShortDate "01/12/2026", formatShortDateTime "01/12/2026 à 13 h 30"   dense tables only
 *
 * Spaces inside a date or a time are non-breaking, so "13 h 30" never wraps between its parts.
 */
import { TIME_ZONE } from "./calendar";
import { formatNumber } from "./numberFormat";

const NBSP = "\u00a0";

/** The months' French names, January first. */
export const monthNames = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
] as const;

/** The weekdays' French names, Monday (ISO weekday 1) first. */
export const weekdayNames = [
  "lundi",
  "mardi",
  "mercredi",
  "jeudi",
  "vendredi",
  "samedi",
  "dimanche",
] as const;

interface ParisParts {
  weekday: string;
  day: number;
  month: string;
  monthNumber: number;
  year: number;
  hour: number;
  minute: number;
}

const wordsFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: TIME_ZONE,
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});
const numbersFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  day: "numeric",
  month: "numeric",
  year: "numeric",
  hour: "numeric",
  minute: "numeric",
  hourCycle: "h23",
});

function partsOf(format: Intl.DateTimeFormat, at: Date): Record<string, string> {
  return Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
}

/** The calendar and clock fields of an instant, as read in Paris. */
export function parisParts(at: Date): ParisParts {
  const words = partsOf(wordsFormat, at);
  const numbers = partsOf(numbersFormat, at);
  return {
    weekday: words.weekday ?? "",
    day: Number(numbers.day),
    month: words.month ?? "",
    monthNumber: Number(numbers.month),
    year: Number(numbers.year),
    hour: Number(numbers.hour) % 24,
    minute: Number(numbers.minute),
  };
}

/** A calendar day (YYYY-MM-DD) has no time zone: read it at noon UTC so the day never shifts. */
function instantOf(value: string | Date): Date {
  if (value instanceof Date) return value;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
}

/** "1er" on the first of the month, the plain number otherwise. */
export function dayOfMonth(day: number): string {
  return day === 1 ? "1er" : String(day);
}

const two = (n: number): string => String(n).padStart(2, "0");

/** "1er décembre 2026" (a calendar day or an instant); "—" when absent. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const p = parisParts(instantOf(value));
  return [dayOfMonth(p.day), p.month, p.year].join(NBSP);
}

/** "lundi 1er décembre 2026". */
export function formatLongDate(value: string | Date): string {
  const p = parisParts(instantOf(value));
  return `${p.weekday} ${formatDate(value)}`;
}

/** "lundi 1er décembre", for a day inside a week the reader already knows. */
export function formatDay(value: string | Date): string {
  const p = parisParts(instantOf(value));
  return `${p.weekday} ${dayOfMonth(p.day)}${NBSP}${p.month}`;
}

/**
 * "du lundi 7 au dimanche 13 décembre 2026": the month and year are written once when shared
 * ("du lundi 30 novembre au dimanche 6 décembre 2026"), both dates in full across years.
 */
export function formatDayRange(from: string | Date, to: string | Date): string {
  const start = parisParts(instantOf(from));
  const end = parisParts(instantOf(to));
  const first =
    start.year !== end.year
      ? formatLongDate(from)
      : start.monthNumber !== end.monthNumber
        ? formatDay(from)
        : `${start.weekday} ${dayOfMonth(start.day)}`;
  return `du ${first} au ${formatLongDate(to)}`;
}

/**
 * An amount of opening hours, to the minute: as `formatDuration`, but none at all reads "0 h", not
 * "0 min", in a column or a sentence of hours (a site closed all month).
 */
export function formatHours(totalMinutes: number): string {
  return Math.round(totalMinutes) === 0 ? `0${NBSP}h` : formatDuration(totalMinutes);
}

/** "13 h 30", "9 h 00": Paris time, never seconds. */
export function formatTime(value: string | Date): string {
  const at = instantOf(value);
  const p = parisParts(at);
  return `${p.hour}${NBSP}h${NBSP}${two(p.minute)}${livedTwice(at, p)}`;
}

/**
 * On the night the clocks go back (last Sunday of October), 2:00–2:59 is lived twice: which one,
 * « (heure d'été) » then « (heure d'hiver) », so two slots at « 2 h 30 » are told apart. Else nothing.
 */
function livedTwice(at: Date, p: ParisParts): string {
  const sameClock = (shiftMs: number) => {
    const other = parisParts(new Date(at.getTime() + shiftMs));
    return other.hour === p.hour && other.minute === p.minute;
  };
  if (sameClock(HOUR_MS)) return " (heure d'été)";
  if (sameClock(-HOUR_MS)) return " (heure d'hiver)";
  return "";
}
const HOUR_MS = 3_600_000;

/** "9 h 00" from a time of day written "09:00" (a permanence's hours, with no day). */
export function formatTimeOfDay(hhmm: string): string {
  const [hour = "0", minute = "0"] = hhmm.split(":");
  return `${Number(hour)}${NBSP}h${NBSP}${two(Number(minute))}`;
}

/**
 * A length of time, to the minute: "27 h 30", "24 h", "45 min" (the app's one way to write hours);
 * the hours grouped as every number of the app from a thousand: "1 300 h" (narrow no-break space).
 */
export function formatDuration(totalMinutes: number): string {
  const minutes = Math.round(totalMinutes);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}${NBSP}min`;
  const hours = formatNumber(h);
  return m === 0 ? `${hours}${NBSP}h` : `${hours}${NBSP}h${NBSP}${two(m)}`;
}

/** "lundi 1er décembre 2026 à 13 h 30". */
export function formatDateTime(value: string | Date): string {
  return `${formatLongDate(value)} à ${formatTime(value)}`;
}

/** "01/12/2026": only where space is short (dense tables). */
export function formatShortDate(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const p = parisParts(instantOf(value));
  return `${two(p.day)}/${two(p.monthNumber)}/${p.year}`;
}

/** The same text with ordinary spaces: for SMS (GSM-7 has no non-breaking space), headers, files. */
export function withPlainSpaces(text: string): string {
  return text.replace(/\u00a0/g, " ");
}

/** "01/12/2026 à 13 h 30": only where space is short (dense tables). */
export function formatShortDateTime(value: string | Date): string {
  return `${formatShortDate(value)} à ${formatTime(value)}`;
}
