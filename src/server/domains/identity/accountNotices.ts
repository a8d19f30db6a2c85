import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { ofPlace } from "../../../common/placeName";
import type { Db } from "../../db/createDb";
import { membership, user } from "../../db/schema";
import { enqueueAgentNotices } from "../notifications/outbox";
import { hashToken, newToken, RECOVERY_LINK_MINUTES } from "./rules";

/** How long an activation link stays valid. */
export const ACTIVATION_HOURS = 72;

interface Recipient {
  id: string;
  email: string;
}

/**
 * Stands for the activation link in the queued e-mail: the link is minted by the worker when it
 * sends the message, so no usable token is ever stored, in the outbox or anywhere else.
 */
export const ACTIVATION_LINK_PLACEHOLDER = "[lien d'activation, créé à l'envoi]";

/**
 * The e-mails Passerelle sends an agent about their own account, queued in the outbox of the
 * calling transaction. They carry no secret: the activation e-mail holds a placeholder.
 */
export const accountNotices = {
  activation: (input: { structureName: string }) => ({
    subject: "Passerelle : activez votre compte",
    body: `Bonjour,\n\nUn compte Passerelle vous a été ouvert par la direction ${ofPlace(input.structureName)}. Pour l'activer, choisissez votre mot de passe en ouvrant ce lien (valable ${ACTIVATION_HOURS} heures, une seule fois) :\n\n${ACTIVATION_LINK_PLACEHOLDER}\n\nSi vous n'attendiez pas ce message, ignorez-le.\n\nPasserelle`,
  }),
  addedToStructure: (input: { structureName: string; publicUrl: string }) => ({
    subject: "Passerelle : vous avez été ajouté à une structure",
    body: `Bonjour,\n\nLa direction ${ofPlace(input.structureName)} vous a ajouté à sa structure. Connectez-vous avec votre compte habituel :\n\n${input.publicUrl}/\n\nSi vous n'attendiez pas ce message, prévenez la direction de la structure.\n\nPasserelle`,
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

/**
 * The structure an account e-mail is queued under: one whose membership the agent accepted, a
 * current one first, else the last ended one. Never a pending invitation's, whose structure must
 * not learn anything of the account. Null when the account accepted none.
 */
export async function noticeStructureOf(tx: Db, userId: string): Promise<string | null> {
  const [accepted] = await tx
    .select({ structureId: membership.structureId })
    .from(membership)
    .where(and(eq(membership.userId, userId), isNotNull(membership.acceptedAt)))
    .orderBy(sql`${membership.endedAt} desc nulls first`)
    .limit(1);
  return accepted?.structureId ?? null;
}

/** An account never activated holds an activation hash (possibly of a token nobody knows). */
export const neverActivated = isNotNull(user.activationTokenHash);

/** A hash for a new account: marks it as never activated; nobody knows the token. */
export function unknownActivation(now: Date): { activationTokenHash: string; activationExpiresAt: Date } {
  return {
    activationTokenHash: hashToken(newToken()),
    activationExpiresAt: new Date(now.getTime() + ACTIVATION_HOURS * 3_600_000),
  };
}

/** Stands for the "mot de passe oublié" link in the queued e-mail: minted by the worker at sending time. */
export const RECOVERY_LINK_PLACEHOLDER = "[lien de nouveau mot de passe, créé à l'envoi]";

export const recoveryNotice = {
  subject: "Passerelle : choisir un nouveau mot de passe",
  body: `Bonjour,\n\nUne demande de nouveau mot de passe a été faite pour votre compte Passerelle. Pour choisir un nouveau mot de passe, ouvrez ce lien (valable ${RECOVERY_LINK_MINUTES / 60} heure, une seule fois) :\n\n${RECOVERY_LINK_PLACEHOLDER}\n\nVotre double authentification reste demandée à la connexion suivante. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe actuel reste valable.\n\nPasserelle`,
};

/**
 * The one-time links an account e-mail may stand for, minted when it actually leaves: a new token
 * for the account (only its hash and expiry are stored; an older link stops working). `still`: the
 * account must still want it (never activated for an activation; enabled and activated for a new
 * password), else nothing is sent.
 */
const oneTimeLinks = [
  {
    placeholder: ACTIVATION_LINK_PLACEHOLDER,
    path: "/activation",
    validMs: ACTIVATION_HOURS * 3_600_000,
    set: (hash: string, expiresAt: Date) => ({ activationTokenHash: hash, activationExpiresAt: expiresAt }),
    still: neverActivated,
    skip: "Compte déjà activé : lien d'activation inutile.",
  },
  {
    placeholder: RECOVERY_LINK_PLACEHOLDER,
    path: "/nouveau-mot-de-passe",
    validMs: RECOVERY_LINK_MINUTES * 60_000,
    set: (hash: string, expiresAt: Date) => ({ recoveryTokenHash: hash, recoveryExpiresAt: expiresAt }),
    still: and(isNull(user.disabledAt), isNull(user.activationTokenHash)),
    skip: "Compte désactivé : lien de nouveau mot de passe non envoyé.",
  },
];

/**
 * An account e-mail as it leaves: the one-time link it stands for (activation, new password) minted
 * now, for this send only (a resend mints another one, the older link stops working); `skip` when the
 * link is not to be sent any more (account activated, or disabled, meanwhile).
 */
export async function withOneTimeLink(
  db: Db,
  input: { userId: string | null; body: string; publicUrl: string; now: Date },
): Promise<{ body: string } | { skip: string }> {
  const link = oneTimeLinks.find((l) => input.body.includes(l.placeholder));
  if (!link) return { body: input.body };
  const token = newToken();
  const [minted] = input.userId
    ? await db
        .update(user)
        .set(link.set(hashToken(token), new Date(input.now.getTime() + link.validMs)))
        .where(and(eq(user.id, input.userId), link.still))
        .returning({ id: user.id })
    : [];
  if (!minted) return { skip: link.skip };
  return { body: input.body.replace(link.placeholder, `${input.publicUrl}${link.path}#${token}`) };
}
