import { and, eq, inArray, isNull } from "drizzle-orm";
import { type ActionKind, actionKindLabels } from "../../../common/actions/actions.schema";
import { formatDateTime, formatTime, withPlainSpaces } from "../../../common/dateFormat";
import { appLink } from "../../core/config";
import { invitationAttachment } from "../../core/ics";
import type { Db } from "../../db/createDb";
import { directoryContact, directoryEntry, user } from "../../db/schema";
import { contactIsActive } from "../directory/queries";
import { enqueueContactEmails } from "../notifications/outbox";

/** `withdraw`: the action stands, but this invitee's invitation is cancelled (METHOD:CANCEL to them only). */
export type MailMode = "request" | "update" | "cancel" | "withdraw";

export interface ActionForMail {
  id: string;
  structureId: string;
  kind: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  sequence: number;
}

export interface Invitee {
  name: string;
  email: string;
  directoryContactId: string | null;
  /** The agent invited (working group member), if the invitee is one. */
  userId: string | null;
  /** The answer link's token (none in a cancellation). */
  token: string | null;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const subjects: Record<MailMode, string> = {
  request: "Invitation",
  update: "Modification",
  cancel: "Annulation",
  withdraw: "Annulation de votre invitation",
};

/** The public answer page of one invitation. */
export function invitationUrl(publicUrl: string, token: string): string {
  return appLink(publicUrl, `/invitation/${token}`);
}

/**
 * The invitees still in use: no e-mail of any kind (invitation, update, cancellation, withdrawal)
 * goes to an archived contact, a contact of an archived organisation, or a disabled agent — as the
 * newsletter leaves them out. Their invitations stay as they are; restored, they are written to again.
 */
async function inUse(tx: Db, invitees: Invitee[]): Promise<Invitee[]> {
  const contactIds = [
    ...new Set(invitees.flatMap((i) => (i.directoryContactId ? [i.directoryContactId] : []))),
  ];
  const userIds = [...new Set(invitees.flatMap((i) => (i.userId ? [i.userId] : [])))];
  const active = new Set<string>();
  if (contactIds.length > 0)
    for (const row of await tx
      .select({ id: directoryContact.id })
      .from(directoryContact)
      .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
      .where(and(inArray(directoryContact.id, contactIds), contactIsActive())))
      active.add(row.id);
  if (userIds.length > 0)
    for (const row of await tx
      .select({ id: user.id })
      .from(user)
      .where(and(inArray(user.id, userIds), isNull(user.disabledAt))))
      active.add(row.id);
  return invitees.filter(
    (i) =>
      (i.directoryContactId === null || active.has(i.directoryContactId)) &&
      (i.userId === null || active.has(i.userId)),
  );
}

/**
 * Queues one e-mail per invitee still in use (outbox, kind `invitation`) with the ICS invitation
 * (same uid for every update of the action, `sequence` growing) and, unless cancelled, the two
 * answer links. Returns the outbox rows' ids (one per invitee written to).
 */
export async function queueInvitationMails(
  tx: Db,
  input: {
    action: ActionForMail;
    place: string;
    structureName: string;
    publicUrl: string;
    mode: MailMode;
    invitees: Invitee[];
    now: Date;
  },
): Promise<string[]> {
  const { action, mode } = input;
  const when = withPlainSpaces(`${formatDateTime(action.startsAt)} (fin à ${formatTime(action.endsAt)})`);
  const kindLabel = actionKindLabels[action.kind as ActionKind] ?? "Action collective";
  const host = new URL(input.publicUrl).hostname;
  const invitees = await inUse(tx, input.invitees);
  return enqueueContactEmails(tx, {
    structureId: action.structureId,
    kind: "invitation",
    now: input.now,
    messages: invitees.map((invitee) => {
      const link = invitee.token ? invitationUrl(input.publicUrl, invitee.token) : null;
      const cancelled = mode === "cancel" || mode === "withdraw";
      const intro =
        mode === "cancel"
          ? `${input.structureName} vous informe que l'action « ${action.title} » est annulée.`
          : mode === "withdraw"
            ? `${input.structureName} vous informe que votre invitation à « ${action.title} » (${kindLabel}) est annulée : vous ne faites plus partie des membres invités à cette réunion.`
            : mode === "update"
              ? `${input.structureName} a modifié l'action « ${action.title} » (${kindLabel}) à laquelle vous êtes invité(e).`
              : `${input.structureName} vous invite à l'action « ${action.title} » (${kindLabel}).`;
      const lines = [
        `Bonjour ${invitee.name},`,
        "",
        intro,
        "",
        `Date : ${when}`,
        `Lieu : ${input.place}`,
        ...(action.description && !cancelled ? ["", action.description] : []),
        ...(link
          ? [
              "",
              "Merci de nous dire si vous participez (sans compte, le lien reste valable jusqu'au début de l'action) :",
              `Je participe : ${link}?reponse=oui`,
              `Je ne participe pas : ${link}?reponse=non`,
            ]
          : []),
        "",
        mode === "withdraw"
          ? "L'annulation est jointe : votre agenda peut retirer cette réunion."
          : "L'invitation est jointe pour votre agenda.",
        "",
        input.structureName,
      ];
      const html = [
        `<p>Bonjour ${escapeHtml(invitee.name)},</p>`,
        `<p>${escapeHtml(intro)}</p>`,
        `<p><strong>Date :</strong> ${escapeHtml(when)}<br><strong>Lieu :</strong> ${escapeHtml(input.place)}</p>`,
        ...(action.description && !cancelled ? [`<p>${escapeHtml(action.description)}</p>`] : []),
        ...(link
          ? [
              "<p>Merci de nous dire si vous participez (sans compte) :</p>",
              `<p><a href="${escapeHtml(`${link}?reponse=oui`)}">Je participe</a> &nbsp; <a href="${escapeHtml(`${link}?reponse=non`)}">Je ne participe pas</a></p>`,
            ]
          : []),
        `<p>${escapeHtml(input.structureName)}</p>`,
      ].join("\n");
      return {
        directoryContactId: invitee.directoryContactId,
        email: invitee.email,
        subject: `${subjects[mode]} : ${action.title} – ${withPlainSpaces(formatDateTime(action.startsAt))}`,
        body: lines.join("\n"),
        html,
        attachments: [
          invitationAttachment({
            uid: `collective-action-${action.id}@${host}`,
            sequence: action.sequence,
            start: action.startsAt,
            end: action.endsAt,
            summary: action.title,
            location: input.place,
            description: action.description,
            organizer: { name: input.structureName, email: `ne-pas-repondre@${host}` },
            attendee: { name: invitee.name, email: invitee.email },
            cancelled,
          }),
        ],
      };
    }),
  });
}
