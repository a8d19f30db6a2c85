import { z } from "zod";
import { addDays, parisDay } from "./calendar";
import { formatShortDate } from "./dateFormat";
import { whenAbsent } from "./fields";
import { plural } from "./plural";

/**
 * The one set of date and time schemas of the API: every route uses these, so an impossible date
 * (2023-02-30, 2023-13-45, 0000-00-00) is a 400 with a French message, never a database error.
 * Years are bounded (1900–2199) so nothing absurd reaches SQL or date arithmetic.
 */
const FIRST_DAY = "1900-01-01";
const LAST_DAY = "2199-12-31";

function inRange(day: string): boolean {
  return day >= FIRST_DAY && day <= LAST_DAY;
}

/** A real calendar day, YYYY-MM-DD (leap years included), between 1900 and 2199. */
export const isoDate = z.iso
  .date({
    error: (issue) =>
      issue.input === ""
        ? "Saisissez une date."
        : "Date invalide : une date réelle au format AAAA-MM-JJ est attendue.",
    abort: true,
  })
  .refine(inRange, "Date hors de la plage acceptée (1900 à 2199).");

/** A date the user must fill in: `missing` says which ("Indiquez la fin de la mesure."), empty or absent. */
export function requiredDate(missing: string) {
  return z.string(whenAbsent(missing)).min(1, missing).pipe(isoDate);
}

/** What the API says of a birth date that is not a real day: its JSON takes AAAA-MM-JJ. */
export const API_BIRTH_DATE_MESSAGE =
  "Date de naissance invalide : une date réelle au format AAAA-MM-JJ est attendue (par exemple 1988-03-14).";

/**
 * The ages a birth date may give at today's Paris day, bounds included: under 13 nobody is placed
 * under judicial supervision (age of criminal responsibility, CJPM art. L11-1), and over 110 is a
 * typing error or a placeholder (01/01/1900 from an old application). One rule for the person form,
 * the API and the caseload import (doc/product.md, "Birth dates").
 */
export const BIRTH_AGE = { min: 13, max: 110 } as const;

/** `day` minus `years` calendar years (29 February → 28 February in a common year). */
function yearsBefore(day: string, years: number): string {
  const year = String(Number(day.slice(0, 4)) - years).padStart(4, "0");
  const candidate = `${year}${day.slice(4)}`;
  return candidate.endsWith("-02-29") && !z.iso.date().safeParse(candidate).success
    ? `${year}-02-28`
    : candidate;
}

/**
 * A birth date: a real day, not in the future (Paris calendar), giving an age between
 * `BIRTH_AGE.min` and `BIRTH_AGE.max` years at `today`. `today` gives the Paris day to compare with
 * (a bulk check computes it once rather than for every row). `invalid`: what a value that is no
 * real day is told — the API's format by default; the caseload import, whose files write dates
 * jj/mm/aaaa, says its own.
 */
export function birthDateUntil(today: () => string, invalid: string = API_BIRTH_DATE_MESSAGE) {
  return z
    .string()
    .min(1, { message: "Saisissez la date de naissance.", abort: true })
    .pipe(
      z.iso
        .date({ message: invalid, abort: true })
        .refine((day) => day >= FIRST_DAY, {
          message: "Saisissez une date de naissance à partir de 1900.",
          abort: true,
        })
        .refine((day) => day <= today(), {
          message: "La date de naissance est dans le futur : vérifiez l'année.",
          abort: true,
        })
        .superRefine((day, issue) => {
          const message = birthAgeIssue(day, today());
          if (message) issue.addIssue({ code: "custom", message });
        }),
    );
}

/** What an age outside `BIRTH_AGE` is told (a day not after `today`), or null. */
function birthAgeIssue(birth: string, today: string): string | null {
  const age = ageOn(birth, today);
  if (age < BIRTH_AGE.min)
    return `Cette date donne ${plural(age, "an", "ans")} : une personne suivie a au moins ${BIRTH_AGE.min} ans. Vérifiez l'année.`;
  if (age > BIRTH_AGE.max)
    return `Cette date donne ${plural(age, "an", "ans")} : au-delà de ${BIRTH_AGE.max} ans, la date est sans doute erronée. Vérifiez l'année.`;
  return null;
}

/** A birth date: a real day, not in the future (Paris calendar), an age from 13 to 110 years. */
export const birthDate = birthDateUntil(() => parisDay(new Date()));

/** A birth date field's min and max (the date picker's bounds; the schema says the same). */
export function birthDateBounds(today: string = parisDay(new Date())): { min: string; max: string } {
  // The oldest: turns BIRTH_AGE.max + 1 tomorrow; the youngest: turned BIRTH_AGE.min today.
  const oldest = yearsBefore(today, BIRTH_AGE.max + 1);
  return { min: addDays(oldest, 1), max: yearsBefore(today, BIRTH_AGE.min) };
}

/**
 * The youngest and oldest age a birth date is taken without a second look (the form says to check);
 * inside the hard bounds of `BIRTH_AGE`.
 */
export const PLAUSIBLE_AGE = { min: 16, max: 100 } as const;

/** Full years between `birth` and `today`, both YYYY-MM-DD. */
export function ageOn(birth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5) < birth.slice(5) ? years - 1 : years;
}

/**
 * What the form says under a valid but unlikely birth date (under 16 or over 100 years old at
 * `today`): a warning to check it, not a refusal — the date may be right. Null when it is likely,
 * or not a date the schema accepts (its error says what is wrong).
 */
export function birthDateWarning(birth: string, today: string = parisDay(new Date())): string | null {
  if (!birthDateUntil(() => today).safeParse(birth).success) return null;
  const age = ageOn(birth, today);
  if (age >= PLAUSIBLE_AGE.min && age <= PLAUSIBLE_AGE.max) return null;
  const which =
    age < PLAUSIBLE_AGE.min ? `moins de ${PLAUSIBLE_AGE.min} ans` : `plus de ${PLAUSIBLE_AGE.max} ans`;
  return `Cette date donne ${plural(age, "an", "ans")} (${which}) : vérifiez-la. Si elle est exacte, vous pouvez enregistrer.`;
}

/** An instant, ISO 8601 in UTC (2026-03-02T09:00:00Z, milliseconds allowed), real and in range. */
export const isoDateTime = z.iso
  .datetime({
    error: (issue) =>
      issue.input === ""
        ? "Saisissez une date et une heure."
        : "Date et heure invalides : le format AAAA-MM-JJTHH:MM:SSZ est attendu.",
    abort: true,
  })
  .refine((instant) => inRange(instant.slice(0, 10)), "Date hors de la plage acceptée (1900 à 2199).");

/** A calendar month, YYYY-MM (01 to 12), between 1900 and 2199. */
export const isoMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "Choisissez un mois (au format AAAA-MM).", abort: true })
  .refine((month) => inRange(`${month}-01`), "Mois hors de la plage acceptée (1900 à 2199).");

/** A time of day, HH:MM (00:00 to 23:59). */
export const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Saisissez une heure au format HH:MM (par exemple 09:30).");

/** `day` moved by `years` (29 February stays as typed: the result only bounds a comparison). */
function yearsFrom(day: string, years: number): string {
  return `${String(Number(day.slice(0, 4)) + years).padStart(4, "0")}${day.slice(4)}`;
}

/** How far a due or planned date may be from today (Paris calendar): a slip of the year, not a plan. */
export const PLANNED_YEARS_BACK = 2;
export const PLANNED_YEARS_AHEAD = 5;

/** The range a due or planned day may take around `today`, also a date field's min and max. */
export function plannedDayBounds(today: string = parisDay(new Date())): { min: string; max: string } {
  return { min: yearsFrom(today, -PLANNED_YEARS_BACK), max: yearsFrom(today, PLANNED_YEARS_AHEAD) };
}

/**
 * A due or planned day ("À faire avant le", "Date prévue"): a real day within a plausible range of
 * `today` (`plannedDayBounds`) — at most 2 years back (a démarche recorded late) and 5 years ahead —
 * so that 01/01/1901 or 2099 typed by mistake is refused under the field rather than saved.
 */
export function plannedDayAround(today: () => string) {
  return isoDate
    .refine((day) => day >= plannedDayBounds(today()).min, {
      error: () =>
        `Date trop ancienne : saisissez une date à partir du ${formatShortDate(plannedDayBounds(today()).min)}.`,
      abort: true,
    })
    .refine((day) => day <= plannedDayBounds(today()).max, {
      error: () =>
        `Date trop lointaine : saisissez une date avant le ${formatShortDate(plannedDayBounds(today()).max)}.`,
    });
}

/** A due or planned day within a plausible range of today (see `plannedDayAround`). */
export const plannedDay = plannedDayAround(() => parisDay(new Date()));

/** The range a new due day ("À faire avant le") may take: from `today` on, 5 years ahead at most. */
export function dueDayBounds(today: string = parisDay(new Date())): { min: string; max: string } {
  return { min: today, max: plannedDayBounds(today).max };
}

/** What a due day in the past is told, under its field (the form and the server say the same). */
export const pastDueDayMessage = (today: string): string =>
  `Date déjà passée : choisissez une date à partir d'aujourd'hui (${formatShortDate(today)}).`;

/**
 * A new due day ("À faire avant le"): not in the past (Paris calendar) — a démarche due yesterday
 * would be overdue at once — and within 5 years. The server checks it against its own clock too.
 */
export function dueDayFrom(today: () => string) {
  // Any past day is told it is past, 01/01/2020 too: "Date trop ancienne : à partir du …" would
  // name a day two years back that this field refuses all the same.
  return isoDate
    .refine((day) => day >= today(), { error: () => pastDueDayMessage(today()), abort: true })
    .pipe(plannedDayAround(today));
}
