import { isValidPhoneNumber } from "libphonenumber-js";
import { z } from "zod";

/**
 * Field schemas for what a person types in a form, shared by the server's checks and the web's:
 * each refuses nonsense with a French message that says what to do.
 */

/**
 * A field's own message when its key is missing from the body (or null), passed to `z.string(…)`,
 * `z.number(…)`, `z.array(…)`: without it the generic « Renseignez ce champ. » would be said, where
 * an empty value gets the field's message (« Indiquez le motif… »). Other type errors keep theirs.
 */
export function whenAbsent(message: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined || issue.input === null ? message : undefined,
  };
}

/** A free text, trimmed; "" when left empty. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `${max.toLocaleString("fr-FR")} caractères au plus.`);
}

/** A free text the user must fill in: `missing` says what to type ("Saisissez le nom."), empty or absent. */
export function requiredText(max: number, missing: string, min = 1) {
  return z
    .string(whenAbsent(missing))
    .trim()
    .min(min, missing)
    .max(max, `${max.toLocaleString("fr-FR")} caractères au plus.`);
}

export const emailMessage = "Saisissez une adresse électronique valide, par exemple nom@exemple.fr.";

/** An e-mail address (required). */
export const email = z
  .string(whenAbsent("Saisissez l'adresse électronique."))
  .trim()
  .min(1, "Saisissez l'adresse électronique.")
  .max(254, "254 caractères au plus.")
  .pipe(z.email(emailMessage));

const anEmail = z.email();

/** An e-mail address, or "" when there is none. */
export const optionalEmail = z
  .string()
  .trim()
  .max(254, "254 caractères au plus.")
  .refine((value) => value === "" || anEmail.safeParse(value).success, emailMessage);

export const websiteMessage =
  "Saisissez l'adresse complète du site, commençant par https:// ou http:// (par exemple https://www.exemple.fr).";

/** Whether a text is a web page's address: http or https, with a host (never javascript:, data:, file:…). */
export function isWebAddress(input: string): boolean {
  if (!/^https?:\/\//i.test(input)) return false;
  try {
    const url = new URL(input);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** A website's address (http or https), or "" when there is none. */
export const optionalWebsite = z
  .string()
  .trim()
  .max(300, "300 caractères au plus.")
  .refine((value) => value === "" || isWebAddress(value), websiteMessage);

export const phoneMessage =
  "Saisissez un numéro de téléphone valide : 10 chiffres (06 12 34 56 78), ou l'indicatif pour un numéro étranger (+32…).";

/** Whether a phone as typed is a real number (French by default, foreign ones with their +code). */
export function isPhoneNumber(input: string): boolean {
  return isValidPhoneNumber(input, "FR");
}

/** A phone number as typed, or "" when there is none; the server stores it in E.164. */
export const optionalPhone = z
  .string()
  .trim()
  .max(30, "30 caractères au plus.")
  .refine((value) => value === "" || isPhoneNumber(value), phoneMessage);

/** What a radio group left unanswered says: it is not a list, so not the enums' "Choisissez … dans la liste". */
export const answerMissingMessage = "Choisissez une réponse.";

/**
 * One of `values`, answered in a radio group: when none is ticked the message asks for an answer
 * (a select keeps zod's default "Choisissez une valeur dans la liste.").
 */
export function radioChoice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined || issue.input === null || issue.input === ""
        ? answerMissingMessage
        : "Choisissez une des réponses proposées.",
  });
}

/** The id of something chosen in a list: when it is missing, `message` says what to choose. */
export function choice(message: string) {
  return z.uuid({ message }).toLowerCase();
}

/**
 * The `when` of a cross-field rule said along with the fields' own problems: it runs only on an
 * object (not an array) whose fields `keys`, the ones the rule reads, are valid — so the rule never
 * reads a field of the wrong kind (a malformed body is a 400, never a crash).
 */
export function whenFieldsValid(...keys: string[]) {
  return ({ value, issues }: { value: unknown; issues: readonly { path?: PropertyKey[] | undefined }[] }) =>
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !issues.some((issue) => keys.includes(String(issue.path?.[0])));
}

/**
 * A number in a query string, which is always text: "14" read as 14. Only for query strings: a
 * JSON body takes JSON numbers only (`z.number()`), never a string, an array (`[45]`) or a boolean
 * coerced into one (ADR 0010, "strict input"); `strictBodies.test.ts` checks no body coerces.
 */
export function queryNumber(message?: string) {
  return z.coerce.number(message === undefined ? undefined : { message });
}

/** What a whole number's bounds say: each message is the field's own, or the plain-French default. */
export interface WholeNumberRule {
  /** The least allowed; without it, the least safe integer. */
  min?: number;
  /** The most allowed; without it, the greatest safe integer (1e300 is then « inférieur ou égal à … »). */
  max?: number;
  /** Below `min` (and -1e300): « Saisissez 0 minute ou plus. » */
  tooSmall?: string;
  /** Above `max` (and 1e300): « 120 minutes au plus. » */
  tooBig?: string;
  /** A fraction within the bounds (0,5 where 0 is allowed): « Saisissez un nombre entier de minutes. » */
  notWhole?: string;
  /** Not a number at all, or absent. */
  notNumber?: string;
  /** Absent only (a text or `true` keeps « Saisissez un nombre. »); for when `notNumber` is not given. */
  missing?: string;
}

/**
 * The bounds first, then « entier » only within them: a value
 * typed wrong (1e300, 0,5 below a minimum of 1, -3, 99999) gets one message, the bound's, never
 * also « nombre entier » (zod's `.int()` first says both, 1e300 being beyond its safe range).
 * The check stays zod's integer format, so the OpenAPI document keeps `integer`; a bound does not
 * abort, so the rules across fields are still said with it.
 */
function bounded<S extends z.ZodNumber | z.ZodCoercedNumber<unknown>>(base: S, rule: WholeNumberRule): S {
  // zod's `.int()` takes no `when`; its check does (the number_format check `.int()` adds).
  const whole = new z.core.$ZodCheckNumberFormat({
    check: "number_format",
    format: "safeint",
    ...z.core.util.normalizeParams(rule.notWhole ?? {}),
    when: (payload) => payload.issues.length === 0,
  });
  return base
    .min(rule.min ?? Number.MIN_SAFE_INTEGER, rule.tooSmall)
    .max(rule.max ?? Number.MAX_SAFE_INTEGER, rule.tooBig)
    .check(whole) as S;
}

/** A whole number typed in a form (minutes, days, places, hours) between two bounds: one message per mistake. */
export function wholeNumber(rule: WholeNumberRule) {
  const type =
    rule.notNumber !== undefined
      ? { message: rule.notNumber }
      : rule.missing !== undefined
        ? whenAbsent(rule.missing)
        : undefined;
  return bounded(z.number(type), rule);
}

/** A setting's delay in days between two bounds (a convention's alert, a release plan): one message per mistake. */
export function settingDays(bounds: { min: number; max: number }) {
  return wholeNumber({
    notNumber: "Saisissez un nombre de jours.",
    notWhole: "Saisissez un nombre entier de jours.",
    min: bounds.min,
    tooSmall: `Saisissez ${bounds.min} jours au moins.`,
    max: bounds.max,
    tooBig: `Saisissez ${bounds.max} jours au plus.`,
  });
}

/** A whole number in a query string ("14", a page), between two bounds: one message per mistake. */
export function queryWholeNumber(rule: WholeNumberRule) {
  return bounded(queryNumber(rule.notNumber), rule);
}

/**
 * What a form's number field holds, as a body wants it: a number, `undefined` when left empty
 * ("Renseignez ce champ."), NaN when it is not a number ("Saisissez un nombre."). A decimal comma
 * is read as a point.
 */
export function typedNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === "" ? undefined : Number(trimmed.replace(",", "."));
}

export const DUPLICATE_MESSAGE = "Une même valeur est choisie deux fois : ne la gardez qu'une fois.";

/**
 * A list chosen in a catalogue (codes such as need domains or roles, ids of partners, agents,
 * démarche types): each value once. `["sante", "sante"]` is a 400 naming the list, never stored twice.
 */
export function eachOnce<T extends z.ZodType<readonly unknown[]>>(list: T): T {
  return list.refine((values) => new Set(values).size === values.length, DUPLICATE_MESSAGE);
}
