import { and, eq, inArray, isNull } from "drizzle-orm";
import { formatDateTime } from "../../../common/dateFormat";
import { appLink } from "../../core/config";
import { invitationAttachment } from "../../core/ics";
import type { Db } from "../../db/createDb";
import {
  consent,
  directoryContact,
  directoryEntry,
  type handoverMeeting,
  handoverParticipant,
  person,
  site,
  structure,
} from "../../db/schema";
import { enqueueAgentNotices, enqueueContactEmails } from "../notifications/outbox";

type Meeting = typeof handoverMeeting.$inferSelect;
export type InvitationKind = "new" | "update" | "cancel";

const SUBJECTS: Record<InvitationKind, string> = {
  new: "Invitation : réunion de passage de relais",
  update: "Modification : réunion de passage de relais",
  cancel: "Annulation : réunion de passage de relais",
};

export async function placeLabel(db: Db, meeting: Pick<Meeting, "siteId" | "placeText">): Promise<string> {
  if (!meeting.siteId) return meeting.placeText;
  const [row] = await db
    .select({ name: site.name, address: site.address })
    .from(site)
    .where(eq(site.id, meeting.siteId));
  return [row ? `${row.name}, ${row.address}` : "", meeting.placeText].filter(Boolean).join(" — ");
}

/**
 * Partners whose contact may read the person's name: the active sharing consent names the partner
 * of the contact's directory entry. Every other partner contact reads "une personne accompagnée".
 */
async function contactsNamedByConsent(db: Db, personId: string, contactIds: string[]): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const [active] = await db
    .select({ partnerIds: consent.partnerIds })
    .from(consent)
    .where(and(eq(consent.personId, personId), isNull(consent.revokedAt)));
  if (!active || active.partnerIds.length === 0) return new Set();
  const rows = await db
    .select({ id: directoryContact.id, partnerId: directoryEntry.partnerId })
    .from(directoryContact)
    .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
    .where(inArray(directoryContact.id, contactIds));
  return new Set(rows.filter((r) => r.partnerId && active.partnerIds.includes(r.partnerId)).map((r) => r.id));
}

/** The meeting's own page, which every agent invited may open (`/reunions-de-relais/:id`). */
export function meetingLink(publicUrl: string, meetingId: string): string {
  return appLink(publicUrl, `/reunions-de-relais/${meetingId}`);
}

/**
 * Queues the invitation (or its update, or its cancellation) to every participant through the
 * outbox, each with the meeting's ICS (same uid, the meeting's sequence). Agents get it through
 * `enqueueAgentNotices`, with the link to the meeting's page; partner contacts through
 * `enqueueContactEmails`. Data kept minimal: the date, the place, the purpose; never a measure or
 * an offence; the person's name only for agents and for the contacts of a partner the person's
 * consent names. A cancellation says its reason (`meeting.cancelReason`) to everyone.
 */
export async function sendInvitations(
  tx: Db,
  meeting: Meeting,
  kind: InvitationKind,
  organizer: { name: string; email: string },
  now: Date,
  publicUrl: string,
): Promise<void> {
  const participants = await tx
    .select()
    .from(handoverParticipant)
    .where(eq(handoverParticipant.meetingId, meeting.id));
  if (participants.length === 0) return;
  const [who] = await tx
    .select({ firstName: person.firstName, lastName: person.lastName, structureName: structure.name })
    .from(person)
    .innerJoin(structure, eq(structure.id, person.structureId))
    .where(eq(person.id, meeting.personId));
  const location = await placeLabel(tx, meeting);
  const start = meeting.startsAt;
  const end = new Date(start.getTime() + meeting.durationMinutes * 60_000);
  const named = await contactsNamedByConsent(
    tx,
    meeting.personId,
    participants.flatMap((p) => (p.directoryContactId ? [p.directoryContactId] : [])),
  );
  const compose = (p: (typeof participants)[number], withName: boolean) => {
    const personLabel = withName && who ? `${who.firstName} ${who.lastName}` : "une personne accompagnée";
    const summary = "Réunion de passage de relais";
    const when = formatDateTime(start);
    const lead =
      kind === "cancel"
        ? `La réunion de passage de relais concernant ${personLabel}, prévue le ${when}, est annulée.`
        : kind === "update"
          ? `La réunion de passage de relais concernant ${personLabel} est déplacée au ${when}.`
          : `Vous êtes invité·e à la réunion de passage de relais concernant ${personLabel}, le ${when}.`;
    const body = [
      `Bonjour ${p.name},`,
      "",
      lead,
      kind === "cancel" ? `Motif : ${meeting.cancelReason || "non précisé."}` : `Lieu : ${location}`,
      "",
      kind === "cancel"
        ? "L'annulation est jointe pour votre agenda."
        : "L'invitation est jointe pour votre agenda.",
      ...(p.userId ? ["", `La réunion dans Passerelle : ${meetingLink(publicUrl, meeting.id)}`] : []),
      "",
      who?.structureName ?? "France services",
    ]
      .filter((line, i, all) => !(line === "" && all[i - 1] === ""))
      .join("\n");
    const attachment = invitationAttachment({
      uid: meeting.icsUid,
      sequence: meeting.icsSequence,
      start,
      end,
      summary,
      location,
      description:
        kind === "cancel"
          ? `Réunion annulée. Motif : ${meeting.cancelReason || "non précisé."}`
          : `Passage de relais : ${personLabel}.`,
      organizer,
      attendee: { name: p.name, email: p.email },
      cancelled: kind === "cancel",
    });
    return { subject: SUBJECTS[kind], body, attachment };
  };
  for (const p of participants.filter((p) => p.userId)) {
    const m = compose(p, true);
    await enqueueAgentNotices(tx, {
      structureId: meeting.structureId,
      kind: "invitation",
      recipients: [{ id: p.userId!, email: p.email }],
      subject: m.subject,
      body: m.body,
      attachments: [m.attachment],
      now,
    });
  }
  const contacts = participants.filter((p) => !p.userId);
  await enqueueContactEmails(tx, {
    structureId: meeting.structureId,
    kind: "invitation",
    now,
    messages: contacts.map((p) => {
      const m = compose(p, p.directoryContactId !== null && named.has(p.directoryContactId));
      return {
        directoryContactId: p.directoryContactId,
        email: p.email,
        subject: m.subject,
        body: m.body,
        attachments: [m.attachment],
      };
    }),
  });
}
