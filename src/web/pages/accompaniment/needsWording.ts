import { parisDay } from "../../../common/calendar";

/**
 * The needs table's words for the visit's day: « aujourd'hui » when the visit is recorded on its
 * (Paris) day, « lors de la visite » when it is recorded late (the next morning, after the
 * permanence) — the assessment is the visit's, not the day it is typed.
 */
export function needsWording(
  visitStartsAt: string | undefined,
  now: Date = new Date(),
): { intro: string; column: string; label: (domain: string) => string } {
  const sameDay = !visitStartsAt || parisDay(new Date(visitStartsAt)) === parisDay(now);
  const when = sameDay ? "aujourd'hui" : "lors de la visite";
  return {
    intro: `Évaluez les domaines abordés ${when} ; les autres gardent leur dernière évaluation. La situation en quelques mots (300 caractères au plus) : n'indiquez ni infraction ni donnée de santé.`,
    column: sameDay ? "Aujourd'hui" : "Lors de la visite",
    label: (domain) => `Besoin ${when} : ${domain}`,
  };
}
