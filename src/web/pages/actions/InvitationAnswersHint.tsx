import type { ReactNode } from "react";

/**
 * Said once above a list of invitations (the organiser's action page, the partner's home): where an
 * answer comes from, so that « Pas de réponse » is not read as a fault of Passerelle.
 */
export function InvitationAnswersHint(): ReactNode {
  return (
    <p className="fr-text--sm">
      Chaque invité répond, sans compte, par le lien de l'invitation reçue par courriel (« Je participe » ou «
      Je ne participe pas ») ; sa réponse s'affiche ensuite ici. « Pas de réponse » : il n'a pas encore
      utilisé ce lien.
    </p>
  );
}
