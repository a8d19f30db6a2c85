import { plural } from "../plural";
import type { RetentionCounts } from "./retention.schema";

/**
 * A purge's counts in French, agreeing with each number ("1 dossier archivé", "3 dossiers
 * archivés", never "dossier(s) archivé(s)"): the same words for the simulation, the preview, the
 * result on the page and the journal's reason.
 */
export function retentionCountWords(c: RetentionCounts): string[] {
  return [
    plural(c.archived, "dossier archivé", "dossiers archivés"),
    `${plural(c.erased, "dossier effacé", "dossiers effacés")} (données personnelles)`,
    plural(c.journalRows, "ligne du journal supprimée", "lignes du journal supprimées"),
    plural(c.messages, "SMS ou courriel vidé de son contenu", "SMS ou courriels vidés de leur contenu"),
    ...(c.failed > 0
      ? [`${plural(c.failed, "effacement en échec", "effacements en échec")}, repris au prochain passage`]
      : []),
  ];
}
