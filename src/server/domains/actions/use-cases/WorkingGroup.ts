/**
 * Working groups (issue 15): a series of meetings (`collective_action.series_id`) and its members,
 * agents of the structure or contacts of its directory. Every new meeting of the series invites the
 * members through the usual invitation (outbox e-mail with the ICS and an answer link); a member
 * added later is invited to the meetings still to come. The direction and the counselors manage
 * the group; the structure's CPIP read it.
 */

import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { isSeriesKind } from "../../../../common/actions/actions.schema";
import type {
  MemberBody,
  NextMeetingBody,
  WorkingGroup,
  WorkingGroupMeeting,
} from "../../../../common/actions/workingGroup.schema";
import { formatDateTime } from "../../../../common/dateFormat";
import { errors } from "../../../../common/errors";
import type { Role } from "../../../../common/roles";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { parisInstant } from "../../../core/parisTime";
import type { Db } from "../../../db/createDb";
import {
  collectiveAction,
  collectiveActionInvitation,
  collectiveActionOrganiser,
  directoryContact,
  directoryEntry,
  membership,
  site,
  user,
  workingGroupMember,
} from "../../../db/schema";
import { contactIsActive } from "../../directory/queries";
import { agentNameIn } from "../../structures/queries";
import { inviteToAction, type NewInvitee, withdrawInvitations } from "../invitations";
import { mayOrganise } from "../policies";
import { type ActionRow, loadVisibleAction } from "../queries";
import { placeLabel } from "../rules";
import {
  inSeries,
  invitable,
  invites,
  members,
  reaches,
  type UpcomingInvitation,
  upcomingInvitations,
  upcomingMeetings,
} from "../series";
import { parisDayAndTime } from "./ReadActions";

const AGENT_ROLES: Role[] = ["probation_officer", "counselor", "service_manager"];
/** The steering committee also gathers the structure's steering accounts (préfecture, coordinator…). */
const rolesOfMembers = (kind: string): Role[] =>
  kind === "steering_committee" ? [...AGENT_ROLES, "steering"] : AGENT_ROLES;

const seriesWord = (kind: string): string =>
  kind === "steering_committee" ? "comité de pilotage" : "groupe de travail";

/** The meeting, if it is one of a working group the agent sees; its series' key. */
async function loadMeeting(
  db: Db,
  ctx: RequestContext,
  actionId: string,
): Promise<{ action: ActionRow; seriesId: string }> {
  const action = await loadVisibleAction(db, ctx.actor, actionId);
  if (!isSeriesKind(action.kind)) throw errors.collectiveAction.notWorkingGroup();
  return { action, seriesId: action.seriesId ?? action.id };
}

/**
 * Locks every meeting of the series, always in the same order (by id): two changes of the series
 * through two of its meetings queue one after the other instead of each holding one meeting and
 * waiting for the other's (a deadlock). Returns the meetings.
 */
async function lockSeries(tx: Db, structureId: string, seriesId: string): Promise<ActionRow[]> {
  return tx
    .select()
    .from(collectiveAction)
    .where(inSeries(structureId, seriesId))
    .orderBy(asc(collectiveAction.id))
    .for("update");
}

async function view(db: Db, ctx: RequestContext, action: ActionRow, seriesId: string): Promise<WorkingGroup> {
  const rows = await members(db, action.structureId, seriesId);
  const invitations = await upcomingInvitations(db, action.structureId, seriesId, ctx.clock.now());
  const meetings = await db
    .select(meetingColumns)
    .from(collectiveAction)
    .leftJoin(site, eq(site.id, collectiveAction.siteId))
    .where(inSeries(action.structureId, seriesId))
    .orderBy(asc(collectiveAction.startsAt));
  const last = meetings.at(-1)?.action ?? action;
  return {
    seriesId,
    theme: action.theme,
    members: rows.map((m) =>
      m.userId
        ? {
            id: m.id,
            kind: "agent" as const,
            refId: m.userId,
            name: m.userName ?? "",
            detail: "Agent de la structure",
            email: m.userEmail ?? "",
            archived: m.userDisabledAt !== null,
            upcomingInvitations: invitations.filter((i) => invites(m, i)).length,
          }
        : {
            id: m.id,
            kind: "contact" as const,
            refId: m.contactId ?? "",
            name: m.contactName ?? "",
            detail: [m.organisation, m.contactFunction].filter(Boolean).join(", "),
            email: m.contactEmail ?? "",
            archived: m.contactArchivedAt !== null || m.entryArchivedAt !== null,
            upcomingInvitations: invitations.filter((i) => invites(m, i)).length,
          },
    ),
    meetings: meetings.map(meetingView),
    lastMeeting: {
      startTime: parisDayAndTime(last.startsAt).time,
      endTime: parisDayAndTime(last.endsAt).time,
      siteId: last.siteId,
      address: last.address,
    },
    permissions: { manage: mayOrganise(ctx.actor, action.structureId, action.kind) },
  };
}

export async function getWorkingGroup(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
): Promise<WorkingGroup> {
  const { action, seriesId } = await loadMeeting(deps.db, ctx, actionId);
  return view(deps.db, ctx, action, seriesId);
}

/** The agent or contact chosen, if it belongs to the structure and is in use (else 400, nothing written). */
async function chosenMember(tx: Db, action: ActionRow, body: MemberBody): Promise<NewInvitee> {
  const structureId = action.structureId;
  if (body.userId) {
    const [agent] = await tx
      .selectDistinct({ id: user.id, name: agentNameIn(structureId), email: user.email })
      .from(membership)
      .innerJoin(user, eq(user.id, membership.userId))
      .where(
        and(
          eq(membership.userId, body.userId),
          eq(membership.structureId, structureId),
          isNull(membership.endedAt),
          isNull(user.disabledAt),
          inArray(membership.role, rolesOfMembers(action.kind)),
        ),
      );
    if (!agent) throw errors.collectiveAction.unknownChoice();
    return { name: agent.name, email: agent.email, directoryContactId: null, userId: agent.id };
  }
  const [contact] = await tx
    .select({ id: directoryContact.id, name: directoryContact.name, email: directoryContact.email })
    .from(directoryContact)
    .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
    .where(
      and(
        eq(directoryContact.id, body.directoryContactId ?? ""),
        eq(directoryEntry.structureId, structureId),
        contactIsActive(),
      ),
    );
  if (!contact || contact.email === "") throw errors.collectiveAction.unknownChoice();
  return { name: contact.name, email: contact.email, directoryContactId: contact.id, userId: null };
}

/** Adds a member to the series; they are invited at once to the meetings still to come. */
export async function addMember(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  body: MemberBody,
): Promise<WorkingGroup> {
  return deps.db.transaction(async (tx) => {
    const { action, seriesId } = await loadMeeting(tx, ctx, actionId);
    if (!mayOrganise(ctx.actor, action.structureId, action.kind)) throw errors.access.forbidden();
    await lockSeries(tx, action.structureId, seriesId);
    const invitee = await chosenMember(tx, action, body);
    const [known] = await tx
      .select({ id: workingGroupMember.id })
      .from(workingGroupMember)
      .where(
        and(
          eq(workingGroupMember.seriesId, seriesId),
          body.userId
            ? eq(workingGroupMember.userId, body.userId)
            : eq(workingGroupMember.directoryContactId, body.directoryContactId ?? ""),
        ),
      );
    if (known) throw errors.collectiveAction.alreadyMember();
    const now = ctx.clock.now();
    const [added] = await tx
      .insert(workingGroupMember)
      .values({
        structureId: action.structureId,
        seriesId,
        userId: body.userId,
        directoryContactId: body.directoryContactId,
        addedBy: ctx.actor.userId,
        createdAt: now,
      })
      .returning({ id: workingGroupMember.id });
    const upcoming = await tx
      .select()
      .from(collectiveAction)
      .where(upcomingMeetings(action.structureId, seriesId, now))
      .orderBy(asc(collectiveAction.startsAt));
    let invited = 0;
    for (const meeting of upcoming)
      invited += (await inviteToAction(tx, deps, meeting, [invitee], now)).invited;
    await journalFor(tx, ctx, {
      action: "collective_action.member_added",
      targetType: "working_group_member",
      targetId: added!.id,
      structureId: action.structureId,
      reason: `${seriesWord(action.kind)} « ${action.title} » ; invité(e) à ${invited} réunion(s) à venir`,
    });
    return view(tx, ctx, action, seriesId);
  });
}

/**
 * Removes a member from the series and withdraws their invitations to the meetings still to come:
 * each is marked cancelled and the member gets one cancellation per meeting (ICS CANCEL, outbox),
 * in the same transaction. Past and started meetings keep their history. An address another member
 * still holds keeps its invitations. A second removal finds no member: 404, nothing sent (the row
 * delete decides, so two removals at once send the cancellations once).
 */
export async function removeMember(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  memberId: string,
): Promise<WorkingGroup> {
  return deps.db.transaction(async (tx) => {
    const { action, seriesId } = await loadMeeting(tx, ctx, actionId);
    if (!mayOrganise(ctx.actor, action.structureId, action.kind)) throw errors.access.forbidden();
    await lockSeries(tx, action.structureId, seriesId);
    const before = await members(tx, action.structureId, seriesId);
    const removed = await tx
      .delete(workingGroupMember)
      .where(and(eq(workingGroupMember.id, memberId), eq(workingGroupMember.seriesId, seriesId)))
      .returning({ id: workingGroupMember.id });
    const leaving = before.find((m) => m.id === memberId);
    if (removed.length === 0 || !leaving) throw errors.collectiveAction.memberNotFound();
    const now = ctx.clock.now();
    const staying = before.filter((m) => m.id !== memberId);
    const toWithdraw: UpcomingInvitation[] = [];
    for (const invitation of await upcomingInvitations(tx, action.structureId, seriesId, now)) {
      if (!invites(leaving, invitation)) continue;
      // An invitation sent to an address another member holds stays, and becomes theirs.
      const heir = staying.find((m) => reaches(m, invitation));
      if (!heir) toWithdraw.push(invitation);
      else if (!invites(heir, invitation))
        await tx
          .update(collectiveActionInvitation)
          .set({ userId: heir.userId, directoryContactId: heir.userId ? null : heir.contactId })
          .where(eq(collectiveActionInvitation.id, invitation.id));
    }
    const meetings = [...new Set(toWithdraw.map((i) => i.actionId))];
    const rows = meetings.length
      ? await tx.select().from(collectiveAction).where(inArray(collectiveAction.id, meetings))
      : [];
    let cancelled = 0;
    for (const meeting of rows)
      cancelled += await withdrawInvitations(
        tx,
        deps,
        meeting,
        toWithdraw.filter((i) => i.actionId === meeting.id).map((i) => i.id),
        now,
      );
    await journalFor(tx, ctx, {
      action: "collective_action.member_removed",
      targetType: "working_group_member",
      targetId: memberId,
      structureId: action.structureId,
      reason: `${seriesWord(action.kind)} « ${action.title} » ; ${cancelled} invitation(s) à venir annulée(s)`,
    });
    return view(tx, ctx, action, seriesId);
  });
}

/**
 * Plans the next meeting of the series: after the latest one and to come, same kind, title, theme,
 * description, capacity and organisers; every member still in use is invited (outbox e-mail, ICS).
 */
export async function planNextMeeting(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  body: NextMeetingBody,
): Promise<{ id: string; invited: number }> {
  return deps.db.transaction(async (tx) => {
    const { action, seriesId } = await loadMeeting(tx, ctx, actionId);
    if (!mayOrganise(ctx.actor, action.structureId, action.kind)) throw errors.access.forbidden();
    // The series' meetings are locked: two plannings at once queue one after the other.
    const series = await lockSeries(tx, action.structureId, seriesId);
    const template = series.reduce((latest, m) => (m.startsAt > latest.startsAt ? m : latest), action);
    if (body.siteId) {
      const [found] = await tx
        .select({ id: site.id })
        .from(site)
        .where(
          and(eq(site.id, body.siteId), eq(site.structureId, action.structureId), isNull(site.archivedAt)),
        )
        .for("share");
      if (!found) throw errors.collectiveAction.unknownChoice();
    }
    const now = ctx.clock.now();
    const startsAt = parisInstant(body.day, body.startTime);
    const endsAt = parisInstant(body.day, body.endTime);
    if (startsAt <= now || startsAt <= template.startsAt) throw errors.collectiveAction.meetingNotAfterLast();
    const [created] = await tx
      .insert(collectiveAction)
      .values({
        structureId: action.structureId,
        kind: template.kind,
        title: template.title,
        theme: template.theme,
        description: template.description,
        startsAt,
        endsAt,
        siteId: body.siteId,
        address: body.siteId ? "" : body.address,
        capacity: template.capacity,
        seriesId,
        createdBy: ctx.actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const organisers = await tx
      .select({ userId: collectiveActionOrganiser.userId })
      .from(collectiveActionOrganiser)
      .where(eq(collectiveActionOrganiser.actionId, template.id));
    if (organisers.length > 0)
      await tx
        .insert(collectiveActionOrganiser)
        .values(organisers.map((o) => ({ actionId: created!.id, userId: o.userId })));
    const invitees = invitable(await members(tx, action.structureId, seriesId));
    const { invited } = await inviteToAction(tx, deps, created!, invitees, now);
    await journalFor(tx, ctx, {
      action: "collective_action.created",
      targetType: "collective_action",
      targetId: created!.id,
      structureId: action.structureId,
      reason: `réunion suivante du ${seriesWord(template.kind)} « ${template.title} », le ${formatDateTime(startsAt)} ; ${invited} membre(s) invité(s)`,
    });
    return { id: created!.id, invited };
  });
}

/** What a series meeting is read from: the action, with its site's name and address when it has one. */
export const meetingColumns = { action: collectiveAction, siteName: site.name, siteAddress: site.address };

/** A meeting of a series (working group, steering committee), with its minutes and decisions. */
export function meetingView({
  action: a,
  siteName,
  siteAddress,
}: {
  action: ActionRow;
  siteName: string | null;
  siteAddress: string | null;
}): WorkingGroupMeeting {
  return {
    id: a.id,
    title: a.title,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    place: placeLabel(siteName === null ? null : { name: siteName, address: siteAddress ?? "" }, a.address),
    status: a.status as WorkingGroupMeeting["status"],
    minutes: a.minutes,
    decisions: a.decisions,
  };
}
