import type { PersonFile } from "../../../common/people/people.schema";

/**
 * Why the agent may not convoke the person or propose a transfer (`permissions.edit` false), said
 * before any form: the server's rule (people/policies.ts `editablePeople`) is the active referent CPIP
 * or the structure's direction, on an open file.
 */
export function editRefusalText(
  file: Pick<PersonFile, "closure" | "referent" | "retention">,
  action: "convoquer cette personne" | "proposer le transfert de ce dossier",
): string {
  if (file.retention.archivedAt) return `Le dossier est archivé : il faut le restaurer pour ${action}.`;
  if (file.closure) return `Le dossier est clos : il faut le rouvrir pour ${action}.`;
  const referent = file.referent ? ` (${file.referent.displayName})` : "";
  return `Seul·e le ou la CPIP référent·e de la personne${referent} ou la direction de la structure peut ${action}.`;
}
