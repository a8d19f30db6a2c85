import { formatDate } from "../dateFormat";

/**
 * The SAS rule of the founding documents (ADR 0028, addendum "SAS"): « Les SAS ont pour objectif la
 * prise en charge de publics dont le reliquat de peine est inférieur ou égal à deux ans, et ayant
 * vocation à retrouver le milieu ouvert dans le cadre d'un aménagement d'une exécution de peine. »
 * A person placed in a SAS has an expected release date, at most two years after today. Pure, shared
 * by the server (correction, import) and the form (hint). Days are Europe/Paris days (YYYY-MM-DD).
 */

export const SAS_MAX_YEARS = 2;

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The last expected release allowed for a placement made on `today`: the same day two years later,
 * inclusive. From a 29 February, two years later has none: the 28th (the reliquat never exceeds two
 * years, whichever way a lawyer counts it).
 */
export function sasLatestRelease(today: string): string {
  const year = Number(today.slice(0, 4)) + SAS_MAX_YEARS;
  const monthDay = today.slice(5) === "02-29" && !isLeap(year) ? "02-28" : today.slice(5);
  return `${String(year).padStart(4, "0")}-${monthDay}`;
}

export type SasReleaseProblem = "missing" | "tooLate";

/** Why this expected release does not fit a SAS placement made on `today`, or null. */
export function sasReleaseProblem(
  expectedReleaseDate: string | null,
  today: string,
): SasReleaseProblem | null {
  if (!expectedReleaseDate) return "missing";
  return expectedReleaseDate > sasLatestRelease(today) ? "tooLate" : null;
}

const WHY = "Une SAS accueille des personnes dont le reliquat de peine est de deux ans au plus";

/** What the field says (the server's 400, the import's row error), in French. */
export function sasReleaseMessage(problem: SasReleaseProblem, today: string): string {
  const latest = formatDate(sasLatestRelease(today));
  return problem === "missing"
    ? `${WHY} : indiquez la sortie prévue, au plus tard le ${latest}.`
    : `${WHY} : la sortie prévue doit être au plus tard le ${latest}.`;
}

/** The hint under the release date when a SAS is chosen. */
export function sasReleaseHint(today: string): string {
  return `Reliquat de peine de deux ans au plus en SAS : au plus tard le ${formatDate(sasLatestRelease(today))}.`;
}

/** What the rule reads of a file's detention, before or after a write. */
export interface SasPlacement {
  siteId: string | null;
  expectedReleaseDate: string | null;
}

/**
 * Whether a write of the detention part places the person in a SAS, so that the rule is checked:
 * the written site is a SAS and the site or the expected release changes. A file already in that SAS
 * written again with the same site and date (a correction of another field: the form sends the whole
 * detention part) is not blocked by a date recorded before the rule or a rule's limit moved since.
 */
export function placesInSas(current: SasPlacement | null, next: SasPlacement, nextIsSas: boolean): boolean {
  if (!nextIsSas || next.siteId === null) return false;
  return (
    current?.siteId !== next.siteId || (current?.expectedReleaseDate ?? null) !== next.expectedReleaseDate
  );
}

/**
 * The rule as a write applies it: the French message for the release date when this write places
 * the person in a SAS (`placesInSas`) with an expected release missing or beyond two years, else null.
 * One composition for the server's correction (a 400) and the caseload import (a row error).
 */
export function sasReleaseError(
  current: SasPlacement | null,
  next: SasPlacement,
  nextIsSas: boolean,
  today: string,
): string | null {
  if (!placesInSas(current, next, nextIsSas)) return null;
  const problem = sasReleaseProblem(next.expectedReleaseDate, today);
  return problem ? sasReleaseMessage(problem, today) : null;
}
