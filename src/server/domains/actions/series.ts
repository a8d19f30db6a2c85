/**
 * The series of a working group (ADR 0031): its meetings, its members, and which standing
 * invitations to the meetings still to come belong to which member.
 */
import { and, asc, eq, gt, or, type SQL } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import {
  collectiveAction,
  collectiveActionInvitation,
  directoryContact,
  directoryEntry,
  user,
  workingGroupMember,
} from "../../db/schema";
import { normalizeEmail } from "../identity/rules";
import { agentNameIn } from "../structures/queries";
import type { NewInvitee } from "./invitations";
import { standingInvitation } from "./queries";

export function inSeries(structureId: string, seriesId: string): SQL | undefined {
  return and(
    eq(collectiveAction.structureId, structureId),
    or(eq(collectiveAction.seriesId, seriesId), eq(collectiveAction.id, seriesId)),
  );
}

/**
 * The group's members in the order they joined, read in the structure that holds the series (every
 * caller has loaded a meeting of it); an agent under the name the structure shows them (`agentNameIn`:
 * the typed name until an invitation is accepted, ADR 0009).
 */
export async function members(db: Db, structureId: string, seriesId: string) {
  return db
    .select({
      id: workingGroupMember.id,
      userId: workingGroupMember.userId,
      userName: agentNameIn(structureId),
      userEmail: user.email,
      userDisabledAt: user.disabledAt,
      contactId: directoryContact.id,
      contactName: directoryContact.name,
      contactEmail: directoryContact.email,
      contactFunction: directoryContact.function,
      contactArchivedAt: directoryContact.archivedAt,
      organisation: directoryEntry.name,
      entryArchivedAt: directoryEntry.archivedAt,
    })
    .from(workingGroupMember)
    .leftJoin(user, eq(user.id, workingGroupMember.userId))
    .leftJoin(directoryContact, eq(directoryContact.id, workingGroupMember.directoryContactId))
    .leftJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
    .where(and(eq(workingGroupMember.structureId, structureId), eq(workingGroupMember.seriesId, seriesId)))
    .orderBy(asc(workingGroupMember.createdAt));
}

export type MemberRow = Awaited<ReturnType<typeof members>>[number];

/** Who a new meeting invites: agents still enabled, contacts not archived and with an address. */
export function invitable(rows: MemberRow[]): NewInvitee[] {
  return rows.flatMap((m): NewInvitee[] => {
    if (m.userId)
      return m.userDisabledAt || !m.userEmail
        ? []
        : [{ name: m.userName ?? "", email: m.userEmail, directoryContactId: null, userId: m.userId }];
    if (!m.contactId || m.contactArchivedAt || m.entryArchivedAt || !m.contactEmail) return [];
    return [
      { name: m.contactName ?? "", email: m.contactEmail, directoryContactId: m.contactId, userId: null },
    ];
  });
}

/** The meetings of the series still to come: planned and not started. */
export function upcomingMeetings(structureId: string, seriesId: string, now: Date): SQL | undefined {
  return and(
    inSeries(structureId, seriesId),
    eq(collectiveAction.status, "planned"),
    gt(collectiveAction.startsAt, now),
  );
}

/** The standing invitations to the series' meetings still to come. */
export async function upcomingInvitations(db: Db, structureId: string, seriesId: string, now: Date) {
  return db
    .select({
      id: collectiveActionInvitation.id,
      actionId: collectiveActionInvitation.actionId,
      email: collectiveActionInvitation.email,
      directoryContactId: collectiveActionInvitation.directoryContactId,
      userId: collectiveActionInvitation.userId,
    })
    .from(collectiveActionInvitation)
    .innerJoin(collectiveAction, eq(collectiveAction.id, collectiveActionInvitation.actionId))
    .where(and(upcomingMeetings(structureId, seriesId, now), standingInvitation()));
}

export type UpcomingInvitation = Awaited<ReturnType<typeof upcomingInvitations>>[number];

/** The member's address as invitations hold it (normalized), or null without one. */
function memberEmail(m: MemberRow): string | null {
  const email = m.userId ? m.userEmail : m.contactEmail;
  return email ? normalizeEmail(email) : null;
}

/**
 * Whether an invitation is this member's: the agent's or the contact's own, whatever address it
 * went to (an agent's address may have changed since). Only an invitation that names nobody (sent
 * before invitations named their agent, or typed in) is matched by the member's address.
 */
export function invites(m: MemberRow, invitation: UpcomingInvitation): boolean {
  if (invitation.userId !== null || invitation.directoryContactId !== null)
    return (
      (m.userId !== null && invitation.userId === m.userId) ||
      (m.contactId !== null && invitation.directoryContactId === m.contactId)
    );
  return invitation.email === memberEmail(m);
}

/** Whether the member receives this invitation's e-mails: their own, or one sent to their address. */
export function reaches(m: MemberRow, invitation: UpcomingInvitation): boolean {
  return invites(m, invitation) || invitation.email === memberEmail(m);
}
