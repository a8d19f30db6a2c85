import type { DemarcheView, VisitView } from "../../../common/accompaniment/accompaniment.schema";
import { parisDay } from "../../../common/calendar";

/**
 * The démarches worked on at a visit, as the visits' table counts them: those recorded with the visit
 * and those opened or updated from the file on the visit's day (Paris time). Counting only the first
 * showed 0 on a day when the counselor had updated the démarches between two visits' forms.
 */
export function demarchesOfVisitDay(visit: VisitView, demarches: readonly DemarcheView[]): number {
  const day = parisDay(new Date(visit.startedAt));
  return demarches.filter((d) =>
    d.history.some((event) => event.visitId === visit.id || parisDay(new Date(event.at)) === day),
  ).length;
}

/** Said under the visits' heading: what the "Démarches ce jour-là" column counts. */
export const visitDemarchesHint =
  "« Démarches ce jour-là » compte les démarches ouvertes ou mises à jour le jour de la visite, avec la visite ou depuis le dossier.";
