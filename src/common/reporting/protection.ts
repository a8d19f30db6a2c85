/**
 * Who reads decides (ADR 0019): the direction of every selected structure reads exact figures;
 * anyone else (steering) reads figures protected by the cell-key method. The wording shown with the
 * figures on the page, in the exports and in the committee report.
 */

/** The largest change the protection makes to a count (cellKey.ts). */
export const MAX_PERTURBATION = 4;

export function protectionNotice(protectedCounts: boolean): string {
  return protectedCounts
    ? `Chiffres protégés : pour qu'aucune personne ne puisse être reconnue, même en comparant plusieurs tableaux, chaque effectif est légèrement modifié (de ${MAX_PERTURBATION} au plus, toujours de la même façon), les effectifs de 1 à 4 sont affichés « < 5 » et les taux calculés sur moins de 5 « non significatif ».`
    : "Chiffres exacts, réservés à la direction de la structure : à ne pas diffuser tels quels (le comité de pilotage reçoit des chiffres protégés).";
}

/**
 * The structure's counts on the home of a reader who does not direct it (steering): the same
 * protection as the dashboard's, in the words of a reader comparing with the direction's figures.
 */
export const PROTECTED_COUNTS_NOTICE = `Chiffres protégés : pour qu'aucune personne ne puisse être reconnue, chaque effectif est légèrement modifié (de ${MAX_PERTURBATION} au plus, toujours de la même façon) et peut donc différer de quelques unités des chiffres exacts de la direction ; les effectifs de 1 à 4 sont affichés « < 5 ».`;

/**
 * Said under the summary of protected figures (page and committee report): each cell is perturbed on
 * its own (ADR 0019), so two figures of one sentence or one table need not agree (outside review).
 */
export const PROTECTED_FIGURES_DISAGREE =
  "Chaque chiffre protégé est modifié séparément des autres : ils peuvent ne pas concorder entre eux (par exemple plus de personnes accompagnées que de visites, une part de 100\u00a0% ou un total différent de la somme de ses lignes).";

/**
 * Said instead of `protectionNotice` over a table of hours only (the opening hours): durations, not
 * people, read exact by every reader — a steering export said « chaque effectif est légèrement
 * modifié » above hours that are not (steering review).
 */
export const EXACT_HOURS_NOTICE =
  "Heures exactes pour tous les lecteurs : ce sont des durées d'ouverture, non des effectifs de personnes ; la protection des petits effectifs ne les modifie pas.";
