import { formatDate } from "../dateFormat";

/**
 * The actual release date (`releasedOn`, ADR 0028) records what happened: the day the person left.
 * It is not after today (Europe/Paris day of the server's clock: a release typed ahead would close
 * the release plan and stop the alerts while the SAS still counts the person held), nor before the
 * person's birth (a slip of the year: « 1901 » for a person born in 1990). Pure, shared by the
 * person form's schema (the birth date, known to the browser) and the server's correction (both).
 * Days are YYYY-MM-DD.
 */

export const releasedOnMessages = {
  future:
    "Date dans le futur : saisissez le jour où la personne est sortie, au plus tard aujourd'hui. Une sortie à venir se note en « Date de libération prévue ».",
  beforeBirth: (birthDate: string): string =>
    `Date antérieure à la naissance de la personne (le ${formatDate(birthDate)}) : vérifiez l'année.`,
} as const;

/** What is wrong with this actual release date, in French, or null. `today` unknown: not checked. */
export function releasedOnProblem(
  releasedOn: string | null,
  known: { birthDate?: string | null; today?: string },
): string | null {
  if (!releasedOn) return null;
  if (known.birthDate && releasedOn < known.birthDate) return releasedOnMessages.beforeBirth(known.birthDate);
  if (known.today && releasedOn > known.today) return releasedOnMessages.future;
  return null;
}
