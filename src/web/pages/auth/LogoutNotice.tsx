import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";

/** What the login page says after a logout (Layout): signed out here, or not confirmed. */
export type LogoutNotice = "signedOut" | "unconfirmed";

export function LogoutNoticeAlert({ state }: { state: unknown }): ReactNode {
  const notice = (state as { logout?: LogoutNotice } | null)?.logout;
  if (notice === "signedOut")
    return (
      <Alert
        severity="success"
        small
        className="fr-mb-3w"
        description="Vous êtes déconnecté(e) de ce navigateur."
      />
    );
  if (notice === "unconfirmed")
    return (
      <Alert
        severity="warning"
        title="La déconnexion n'a pas pu être confirmée"
        className="fr-mb-3w"
        description="Passerelle ne répond pas pour l'instant. Fermez toutes les fenêtres de ce navigateur pour terminer votre session, surtout sur un poste partagé."
      />
    );
  return null;
}
