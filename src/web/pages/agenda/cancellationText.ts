export type Cancellation = "excused" | "cancelled";

/**
 * What the dialog promises, as the server does it: a cancellation message only when the person is
 * told by SMS or e-mail (`messages`: never a detainee, ADR 0028).
 */
export function cancellationText(status: Cancellation, messages: boolean): string {
  const told = messages
    ? "Si la personne avait été prévenue du rendez-vous, elle recevra un message d'annulation."
    : "Aucun message ne partira : la personne ne reçoit ni SMS ni courriel pour ce rendez-vous (personne détenue, ou aucun envoi choisi). Prévenez-la vous-même ou par l'établissement.";
  // The server refuses to correct a cancellation by the person once it was told of it, and allows it
  // otherwise within the correction window (7 days).
  const correction = messages
    ? "Une fois la personne prévenue de l'annulation, le statut ne pourra plus être corrigé."
    : "Le statut pourra encore être corrigé pendant 7 jours.";
  return status === "excused"
    ? `Le créneau sera libéré. ${told} ${correction}`
    : `Le créneau sera libéré. ${told} Cette annulation ne peut pas être défaite : pour revoir la personne, convoquez-la à nouveau.`;
}
