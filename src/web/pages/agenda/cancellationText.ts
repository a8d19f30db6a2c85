export type Cancellation = "excused" | "cancelled";

/** Why no message about the convocation reaches the person (the view's `silentBecause`). */
export type Silence = "detained" | "noChannel";

const silentBecause: Record<Silence, string> = {
  detained:
    "Aucun message ne partira : la personne est détenue le jour du rendez-vous, elle ne reçoit ni SMS ni courriel. Prévenez-la par l'établissement.",
  noChannel:
    "Aucun message ne partira : aucun SMS ni courriel n'a été choisi pour ce rendez-vous. Prévenez la personne vous-même.",
};

/**
 * What the dialog promises, as the server does it: a cancellation message only when the person is
 * told by SMS or e-mail (`silence` null); otherwise the one reason why not, for this convocation
 * (held on its day: never a detainee, ADR 0028; or no channel chosen).
 */
export function cancellationText(status: Cancellation, silence: Silence | null): string {
  const told =
    silence === null
      ? "Si la personne avait été prévenue du rendez-vous, elle recevra un message d'annulation."
      : silentBecause[silence];
  // The server refuses to correct a cancellation by the person once it was told of it, and allows it
  // otherwise within the correction window (7 days).
  const correction =
    silence === null
      ? "Une fois la personne prévenue de l'annulation, le statut ne pourra plus être corrigé."
      : "Le statut pourra encore être corrigé pendant 7 jours.";
  return status === "excused"
    ? `Le créneau sera libéré. ${told} ${correction}`
    : `Le créneau sera libéré. ${told} Cette annulation ne peut pas être défaite : pour revoir la personne, convoquez-la à nouveau.`;
}
