import { type DemarcheView, finalDemarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import { formatShortDate } from "../../components/dates";

/** The oldest démarche of this catalogue type still open for the person (not granted, refused…), if any. */
export function openDemarcheOfType(demarches: readonly DemarcheView[], typeId: string): DemarcheView | null {
  if (!typeId) return null;
  const open = demarches
    .filter((d) => d.demarcheTypeId === typeId && !finalDemarcheStatuses.includes(d.status))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return open[0] ?? null;
}

/** The warning shown when a démarche of a type already open is about to be started again. */
export function alreadyOpenText(d: Pick<DemarcheView, "label" | "createdAt">): string {
  return `Une démarche ${d.label} est déjà en cours depuis le ${formatShortDate(d.createdAt)}.`;
}

/**
 * What a new démarche row of the visit form says when it would record a démarche twice: the same
 * type on an earlier row of the visit, or a démarche of that type still open on the file (listed
 * above it for an update). Still allowed, as on the file's own form (a new request after a
 * refusal in progress, a second child…); `null` otherwise.
 */
export function repeatedInVisit(
  rows: readonly { demarcheTypeId: string }[],
  index: number,
  open: readonly DemarcheView[],
): string | null {
  const typeId = rows[index]?.demarcheTypeId ?? "";
  if (!typeId) return null;
  const earlier = rows.findIndex((r, j) => j < index && r.demarcheTypeId === typeId);
  if (earlier >= 0)
    return `Démarche déjà ajoutée plus haut (nouvelle démarche ${earlier + 1}) : elle serait enregistrée deux fois.`;
  const already = openDemarcheOfType(open, typeId);
  return already
    ? `${alreadyOpenText(already)} Mettez-la à jour plus haut plutôt que d'en commencer une autre.`
    : null;
}
