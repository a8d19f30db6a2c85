import type { ReactNode } from "react";

/**
 * Said once above a list of invitations (the organiser's action page, the partner's home): where an
 * answer comes from, so that « Pas de réponse » is not read as a fault of Passerelle.
 */
export function InvitationAnswersHint(): ReactNode {
  return (
    <p className="fr-text--sm">
      {/* Non-breaking spaces inside the guillemets: a « never ends a line, a » never starts one. */}
      Chaque invité répond, sans compte, par le lien de l'invitation reçue par courriel (
      {"«\u00a0Je participe\u00a0» ou «\u00a0Je ne participe pas\u00a0»"}) ; sa réponse s'affiche ensuite ici.{" "}
      {"«\u00a0Pas de réponse\u00a0»\u00a0:"} il n'a pas encore utilisé ce lien.
    </p>
  );
}
