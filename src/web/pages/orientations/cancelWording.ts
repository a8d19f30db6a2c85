import type { OrientationTarget, OrientationView } from "../../../common/orientations/orientations.schema";
import { orientationTargetLabels } from "../../../common/orientations/orientations.schema";

/**
 * What cancelling an orientation does, said before it is done (moveOrientation "cancel"): a draft
 * is dropped unseen; a sent one is withdrawn — the partner sees it cancelled in its inbox and can no
 * longer answer, without any message sent. Neither can be undone.
 */
export function orientationCancellationText(
  o: Pick<OrientationView, "status" | "partnerName" | "target">,
): string {
  const to = o.partnerName ?? orientationTargetLabels[o.target];
  const undo =
    "Cette annulation ne peut pas être défaite : pour orienter à nouveau la personne, créez une nouvelle orientation.";
  if (o.status === "draft")
    return `Le brouillon vers ${to} sera abandonné ; il n'a pas été envoyé, le partenaire n'en saura rien. ${undo}`;
  return `L'orientation est retirée : ${to} la verra « Annulée » et ne pourra plus y répondre. Aucun message ne lui est envoyé : prévenez votre contact si besoin. ${undo}`;
}

/** The answer said as the page names it: a reorientation on the mediation's, an orientation on a partner's. */
export function answeredNotice(target: OrientationTarget, decision: "accept" | "refuse"): string {
  const what = target === "mediation" ? "Réorientation" : "Orientation";
  return `${what} ${decision === "accept" ? "acceptée" : "refusée"}.`;
}
