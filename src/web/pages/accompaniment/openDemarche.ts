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
