import type { Db } from "../../db/createDb";
import { enqueueAgentNotices } from "../notifications/outbox";

/** How long an activation link stays valid. */
export const ACTIVATION_HOURS = 72;

interface Recipient {
  id: string;
  email: string;
}

/**
 * The e-mails Passerelle sends an agent about their own account, queued in the outbox of the
 * calling transaction. They carry no secret but the one-time activation link.
 */
export const accountNotices = {
  activation: (input: { structureName: string; publicUrl: string; token: string }) => ({
    subject: "Passerelle : activez votre compte",
    body: `Bonjour,\n\nUn compte Passerelle vous a été ouvert par la direction de ${input.structureName}. Pour l'activer, choisissez votre mot de passe en ouvrant ce lien (valable ${ACTIVATION_HOURS} heures, une seule fois) :\n\n${input.publicUrl}/activation#${input.token}\n\nSi vous n'attendiez pas ce message, ignorez-le.\n\nPasserelle`,
  }),
  addedToStructure: (input: { structureName: string; publicUrl: string }) => ({
    subject: "Passerelle : vous avez été ajouté à une structure",
    body: `Bonjour,\n\nLa direction de ${input.structureName} vous a ajouté à sa structure. Connectez-vous avec votre compte habituel :\n\n${input.publicUrl}/\n\nSi vous n'attendiez pas ce message, prévenez la direction de la structure.\n\nPasserelle`,
  }),
  secondFactorChanged: (input: { publicUrl: string; what: string }) => ({
    subject: "Passerelle : votre double authentification a été modifiée",
    body: `Bonjour,\n\n${input.what} Si vous n'êtes pas à l'origine de ce changement, changez votre mot de passe et prévenez la direction de votre structure sans attendre :\n\n${input.publicUrl}/\n\nPasserelle`,
  }),
};

/** Queues one account e-mail to one agent. */
export async function sendAccountNotice(
  tx: Db,
  input: { structureId: string; to: Recipient; message: { subject: string; body: string }; now: Date },
): Promise<void> {
  await enqueueAgentNotices(tx, {
    structureId: input.structureId,
    kind: "account_notice",
    recipients: [input.to],
    subject: input.message.subject,
    body: input.message.body,
    now: input.now,
  });
}
