/**
 * People search (ADR 0011): what an agent types → what the SQL compares with `person.search_key`.
 *
 * The key is computed by PostgreSQL itself (generated column, `person_search_key()` in migration
 * 0017) from the same folding as `searchFold` below: letters without accents or case, every other
 * character dropped, per name; then the phone's digits (E.164 without "+", and the French national
 * form "06…"). The folding is a fixed table (no locale, no `unaccent` dictionary), so JS and SQL agree
 * character for character: `search.pg-parity.test.ts` checks it on the database.
 */

import { searchDate as asDate } from "../../../common/people/searchDate";

/** Accented Latin letters (lower then upper case) and ASCII capitals, folded one to one. */
const FOLD_FROM_LOWER =
  "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšșţťŧțùúûüũūŭůűųŵýÿŷźżž";
const FOLD_FROM_UPPER =
  "ÀÁÂÃÄÅĀĂĄÇĆĈĊČĎĐÈÉÊËĒĔĖĘĚĜĞĠĢĤĦÌÍÎÏĨĪĬĮİĴĶĹĻĽĿŁÑŃŅŇÒÓÔÕÖØŌŎŐŔŖŘŚŜŞŠȘŢŤŦȚÙÚÛÜŨŪŬŮŰŲŴÝŸŶŹŻŽ";
const FOLD_TO_LETTERS =
  "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssssttttuuuuuuuuuuwyyyzzz";
const ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The `translate()` arguments of the SQL function `search_fold` (migration 0017 holds the same). */
export const FOLD_FROM = FOLD_FROM_LOWER + FOLD_FROM_UPPER + ASCII_UPPER;
export const FOLD_TO = FOLD_TO_LETTERS + FOLD_TO_LETTERS + ASCII_UPPER.toLowerCase();

/** Two-letter ligatures, replaced before the table. */
const LIGATURES: [RegExp, string][] = [
  [/[œŒ]/g, "oe"],
  [/[æÆ]/g, "ae"],
  [/ß/g, "ss"],
];

const foldMap = new Map([...FOLD_FROM].map((from, i) => [from, FOLD_TO[i] as string]));

/** A name as the search compares it: "N'Diaye-Émilie" → "ndiayeemilie". Same as SQL `search_fold`. */
export function searchFold(value: string): string {
  let out = value;
  for (const [pattern, replacement] of LIGATURES) out = out.replace(pattern, replacement);
  return [...out]
    .map((c) => foldMap.get(c) ?? c)
    .join("")
    .replace(/[^a-z0-9]/g, "");
}

export interface ParsedSearch {
  /** Folded words; each must appear in the key (any order: "prénom nom" or "nom prénom"). */
  words: string[];
  /** Digits of a phone number, typed in any format (national, +33, 0033, spaces, dots). */
  phoneDigits: string | null;
  /** A birth date typed as 14/03/1988, 14-03-1988, 14.03.1988 or 1988-03-14. */
  birthDate: string | null;
  /** A date that does not exist (31/02/1990): nobody is born then, the search finds nobody. */
  impossibleDate: boolean;
}

const PARTIAL_DATE = /^[0-9]*\/[0-9/.-]*$/;
const PHONE_PART = /^[+(]*[0-9][0-9().-]*$/;

/** Digits of a phone as stored in the key: "+33 6…" and "0033 6…" → "336…", "06…" stays "06…". */
function phoneDigitsOf(parts: string[]): string | null {
  const digits = parts.join("").replace(/[^0-9]/g, "");
  if (digits === "") return null;
  return digits.startsWith("00") ? digits.slice(2) : digits;
}

/** Splits what the agent typed into name words, a phone and a birth date. */
export function parseSearch(input: string): ParsedSearch {
  const words: string[] = [];
  const phoneParts: string[] = [];
  let birthDate: string | null = null;
  let impossibleDate = false;
  for (const token of input.split(/[\s,;]+/).filter(Boolean)) {
    const date = asDate(token);
    if (date) {
      if (date.date && (birthDate === null || birthDate === date.date)) birthDate = date.date;
      else impossibleDate = true;
    } else if (PARTIAL_DATE.test(token)) {
      // "14/03" while the agent is still typing a date: no condition yet.
    } else if (PHONE_PART.test(token)) phoneParts.push(token);
    else {
      const word = searchFold(token);
      if (word) words.push(word);
    }
  }
  return { words, phoneDigits: phoneDigitsOf(phoneParts), birthDate, impossibleDate };
}

/** True when the parsed search asks for nothing (empty or only punctuation). */
export function isEmptySearch(parsed: ParsedSearch): boolean {
  return (
    parsed.words.length === 0 &&
    parsed.phoneDigits === null &&
    parsed.birthDate === null &&
    !parsed.impossibleDate
  );
}

/** The key PostgreSQL computes for a person (`person_search_key`): here for the tests' parity checks. */
export function personSearchKey(lastName: string, firstName: string, phone: string): string {
  const national = phone.startsWith("+33") ? ` 0${phone.slice(3)}` : "";
  return `${searchFold(lastName)} ${searchFold(firstName)} ${phone.replace(/[^0-9]/g, "")}${national}`;
}

/** Whether a key matches a parsed search, as the SQL does (each word and the phone's digits are in it). */
export function keyMatches(key: string, parsed: ParsedSearch): boolean {
  return (
    parsed.words.every((w) => key.includes(w)) &&
    (parsed.phoneDigits === null || key.includes(parsed.phoneDigits))
  );
}
