import { type ConvocationStatus, convocationStatusLabels } from "../../../common/agenda/agenda.schema";
import { atPlace } from "../../../common/placeName";
import { formatAppointment } from "../../components/dates";

/**
 * Why the report page offers no form: the convocation was already reported (where it went), the
 * link names no convocation of this file (an old bookmark, a merged file), or its status no longer
 * allows a report — said by that status, not a bare « ne peut plus ».
 */
export function rescheduleNotice(
  current: { status: ConvocationStatus } | undefined,
  replacement: { startsAt: string; siteName: string } | undefined,
): string {
  if (replacement)
    return `Cette convocation a déjà été reportée : nouveau rendez-vous le ${formatAppointment(replacement.startsAt)} ${atPlace(replacement.siteName)}.`;
  if (!current)
    return "Cette convocation n'existe pas dans le dossier de la personne : ouvrez le dossier pour choisir celle à reporter.";
  if (current.status !== "planned")
    return `Cette convocation est ${convocationStatusLabels[current.status].toLowerCase()} : elle ne peut plus être reportée. Pour revoir la personne, convoquez-la à nouveau.`;
  return "Cette convocation ne peut plus être reportée.";
}
