import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { AuditAction } from "../../../../common/audit/audit.actions";
import { addDays, parisDay } from "../../../../common/calendar";
import { formatDateTime } from "../../../../common/dateFormat";
import { heldIn } from "../../../../common/detention/place";
import { errors } from "../../../../common/errors";
import {
  type CancelHandoverBody,
  type CompleteHandoverBody,
  type HandoverPage,
  mayPlanHandover,
  meetingDateIssues,
  type RescheduleHandoverBody,
  type ScheduleHandoverBody,
} from "../../../../common/handover/handover.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { parisInstant } from "../../../core/parisTime";
import { lockRows } from "../../../core/rowLocks";
import type { Db } from "../../../db/createDb";
import {
  directoryContact,
  directoryEntry,
  handoverMeeting,
  handoverParticipant,
  person,
  site,
  structure,
  user,
} from "../../../db/schema";
import { loadSlotInput } from "../../agenda/queries";
import { computeSlots } from "../../agenda/rules";
import { bookInTransaction, inBookingTransaction } from "../../agenda/use-cases/BookConvocation";
import { assertPlaceFits, detentionColumns, detentionSites } from "../../detention/queries";
import { contactIsActive } from "../../directory/queries";
import { messagesFrom, RELEASE_MORNING } from "../../notifications/outbox";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope, type PeopleScope } from "../../people/policies";
import { findVisiblePerson, referentCandidates } from "../../people/queries";
import { sendInvitations } from "../invitations";
import { meetingWords } from "../journalWords";
import { computeAgenda, firstConvocationDays, invitableAgents, meetingViews } from "../queries";
import { transmitFile } from "../transmit";

async function findPerson(db: Db, ctx: RequestContext, personId: string) {
  const found = await findVisiblePerson(db, nominativeScope(ctx.actor), personId);
  if (!found) throw errors.person.notFound();
  return found;
}

/**
 * The meeting and its person, for who manages the file (its referent or the direction). With
 * `planned`, a meeting already held or cancelled answers 409 `handover.notPlanned` — also to the
 * agent who held it and is no longer the file's referent: the same completion sent again after it
 * was applied (a double click, a retry after a lost answer, ADR 0036) gets "already done", not a
 * 403. Anyone else who may not manage the file still gets 403 (sees the file) or 404 (does not).
 */
async function findManagedMeeting(
  db: Db,
  ctx: RequestContext,
  handoverId: string,
  options: { planned?: boolean } = {},
) {
  const [meeting] = await db.select().from(handoverMeeting).where(eq(handoverMeeting.id, handoverId));
  if (!meeting) throw errors.handover.notFound();
  const found = await findVisiblePerson(db, nominativeScope(ctx.actor), meeting.personId);
  if (!found) throw errors.handover.notFound();
  if (!found.edit && meeting.heldBy !== ctx.actor.userId) throw errors.access.forbidden();
  if (options.planned && meeting.status !== "planned") throw errors.handover.notPlanned();
  if (!found.edit) throw errors.access.forbidden();
  return { meeting, found };
}

/** The meeting's dates against the server's clock (`meetingDateIssues`): a 400 under each field. */
function assertMeetingDates(
  ctx: RequestContext,
  input: { startsAt: string; releaseDate: string; checkRelease: boolean },
): void {
  const issues = meetingDateIssues(input, ctx.clock.now());
  if (issues.length > 0)
    throw errors.request.invalid(issues.map((i) => ({ path: `body.${i.field}`, message: i.message })));
}

async function organizerOf(db: Db, ctx: RequestContext): Promise<{ name: string; email: string }> {
  const [me] = await db
    .select({ name: user.displayName, email: user.email })
    .from(user)
    .where(eq(user.id, ctx.actor.userId));
  return me ?? { name: ctx.actor.displayName, email: "ne-pas-repondre@passerelle.localhost" };
}

async function journalBothSides(
  tx: Db,
  ctx: RequestContext,
  entry: { action: AuditAction; targetId: string; from: string; to: string; reason: string },
): Promise<void> {
  for (const structureId of new Set([entry.from, entry.to])) {
    await journalFor(tx, ctx, {
      action: entry.action,
      targetType: "person",
      targetId: entry.targetId,
      structureId,
      reason: entry.reason,
    });
  }
}

/**
 * A site of the structure where a meeting may be held, or a 400: not archived (an archived site takes
 * nothing new), unless it is the meeting's own site already (`kept`, old data: a move keeping it).
 * Read in share mode: an archive running at once waits for this transaction, then sees the meeting.
 */
async function assertMeetingSite(tx: Db, structureId: string, siteId: string, kept: string | null) {
  const [place] = await tx
    .select({ archivedAt: site.archivedAt })
    .from(site)
    .where(and(eq(site.id, siteId), eq(site.structureId, structureId)))
    .for("share");
  if (!place || (place.archivedAt && siteId !== kept)) throw errors.handover.unknownSite();
}

/**
 * The contacts invited, those picked from the directory checked against the structure's own (not
 * archived, with an address) and written with the directory's name and address: the invitation
 * names the person to a contact their consent covers, so it must go to that contact's address.
 * Another structure's contact, or an unknown one: 400 under that contact's field, nothing written.
 */
async function participantContacts(
  tx: Db,
  structureId: string,
  contacts: ScheduleHandoverBody["contacts"],
): Promise<ScheduleHandoverBody["contacts"]> {
  const ids = [...new Set(contacts.flatMap((c) => (c.directoryContactId ? [c.directoryContactId] : [])))];
  if (ids.length === 0) return contacts;
  const known = await tx
    .select({ id: directoryContact.id, name: directoryContact.name, email: directoryContact.email })
    .from(directoryContact)
    .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
    .where(
      and(inArray(directoryContact.id, ids), eq(directoryEntry.structureId, structureId), contactIsActive()),
    );
  const unknown = contacts.findIndex(
    (c) => c.directoryContactId && !known.some((k) => k.id === c.directoryContactId && k.email !== ""),
  );
  if (unknown >= 0) throw errors.handover.unknownContact(`body.contacts.${unknown}.directoryContactId`);
  return contacts.map((c) => {
    const found = known.find((k) => k.id === c.directoryContactId);
    return found ? { ...c, name: found.name, email: found.email } : c;
  });
}

async function pageOf(db: Db, deps: Deps, ctx: RequestContext, personId: string): Promise<HandoverPage> {
  const found = await findPerson(db, ctx, personId);
  const structureId = found.person.structureId;
  const open = !found.person.closedAt && !found.person.archivedAt;
  const structures = await db
    .select({ id: structure.id, name: structure.name })
    .from(structure)
    .orderBy(asc(structure.name));
  // An archived site takes no new meeting: not offered.
  const sites = await db
    .select({ id: site.id, name: site.name })
    .from(site)
    .where(and(eq(site.structureId, structureId), isNull(site.archivedAt)))
    .orderBy(asc(site.name));
  const agents = found.edit ? await invitableAgents(db, [structureId]) : [];
  const meetings = await meetingViews(db, deps, personId);
  await journalFor(db, ctx, {
    action: "handover.read",
    targetType: "person",
    targetId: personId,
    structureId,
  });
  return {
    personName: `${found.person.lastName.toUpperCase()} ${found.person.firstName}`,
    structureId,
    expectedReleaseDate: found.person.expectedReleaseDate,
    meetings,
    // A meeting may be planned for a person in detention only; one already planned stays in the
    // hands of who manages the file (to hold or cancel it) whatever the status says since.
    permissions: {
      manage:
        found.edit && open && (mayPlanHandover(found.person) || meetings.some((m) => m.status === "planned")),
    },
    inDetention: mayPlanHandover(found.person),
    structures,
    sites,
    agents: agents.map((a) => ({ id: a.id, name: a.name, roleLabel: a.roleLabel })),
  };
}

export function getHandoverPage(deps: Deps, ctx: RequestContext, personId: string): Promise<HandoverPage> {
  return pageOf(deps.db, deps, ctx, personId);
}

/** Schedules the meeting, records its participants and sends them the invitation (ICS) through the outbox. */
export async function scheduleHandover(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  body: ScheduleHandoverBody,
): Promise<HandoverPage> {
  const now = ctx.clock.now();
  await deps.db.transaction(async (tx) => {
    const found = await findPerson(tx, ctx, personId);
    if (!found.edit) throw errors.access.forbidden();
    await assertFileOpen(tx, personId);
    if (!mayPlanHandover(found.person)) throw errors.handover.notDetained();
    assertMeetingDates(ctx, { startsAt: body.startsAt, releaseDate: body.releaseDate, checkRelease: true });
    const structureId = found.person.structureId;
    const [target] = await tx
      .select({ id: structure.id })
      .from(structure)
      .where(eq(structure.id, body.targetStructureId));
    if (!target) throw errors.handover.unknownStructure("body.targetStructureId");
    if (body.siteId) await assertMeetingSite(tx, structureId, body.siteId, null);
    const planned = await tx
      .select({ id: handoverMeeting.id })
      .from(handoverMeeting)
      .where(and(eq(handoverMeeting.personId, personId), eq(handoverMeeting.status, "planned")));
    if (planned.length > 0) throw errors.handover.alreadyPlanned();
    const agentIds = [...new Set(body.agentUserIds)];
    const agents = (await invitableAgents(tx, [structureId, body.targetStructureId])).filter((a) =>
      agentIds.includes(a.id),
    );
    if (agents.length !== agentIds.length) throw errors.handover.unknownAgent();
    const contacts = await participantContacts(tx, structureId, body.contacts);
    const [meeting] = await tx
      .insert(handoverMeeting)
      .values({
        structureId,
        personId,
        targetStructureId: body.targetStructureId,
        startsAt: new Date(body.startsAt),
        durationMinutes: body.durationMinutes,
        siteId: body.siteId,
        placeText: body.placeText,
        releaseDate: body.releaseDate,
        status: "planned",
        icsUid: `${randomUUID()}@passerelle`,
        createdBy: ctx.actor.userId,
      })
      .returning();
    const rows = [
      ...agents.map((a) => ({
        meetingId: meeting!.id,
        userId: a.id,
        name: a.name,
        email: a.email,
        roleLabel: a.roleLabel,
      })),
      ...contacts.map((c) => ({
        meetingId: meeting!.id,
        directoryContactId: c.directoryContactId,
        name: c.name,
        email: c.email,
        roleLabel: c.roleLabel,
      })),
    ];
    if (rows.length > 0) await tx.insert(handoverParticipant).values(rows);
    await sendInvitations(tx, meeting!, "new", await organizerOf(tx, ctx), now, deps.config.PUBLIC_URL);
    await journalBothSides(tx, ctx, {
      action: "handover.scheduled",
      targetId: personId,
      from: structureId,
      to: body.targetStructureId,
      reason: `${meetingWords(meeting!.startsAt)}, ${rows.length} participant(s)`,
    });
  });
  return pageOf(deps.db, deps, ctx, personId);
}

/** Moves the meeting: the participants get the update of the same calendar event (sequence + 1). */
export async function rescheduleHandover(
  deps: Deps,
  ctx: RequestContext,
  handoverId: string,
  body: RescheduleHandoverBody,
): Promise<{ ok: true }> {
  return deps.db.transaction(async (tx) => {
    await lockRows(tx, handoverMeeting, [handoverId]); // sent twice at once: the second sees the first's status
    const { meeting, found } = await findManagedMeeting(tx, ctx, handoverId, { planned: true });
    await assertFileOpen(tx, meeting.personId);
    assertMeetingDates(ctx, {
      startsAt: body.startsAt,
      releaseDate: meeting.releaseDate,
      checkRelease: false,
    });
    if (body.siteId) await assertMeetingSite(tx, found.person.structureId, body.siteId, meeting.siteId);
    // Sent again after a lost answer (or twice at once): already where it is asked to be, so the
    // participants are not sent the same update a second time.
    const unchanged =
      meeting.startsAt.getTime() === new Date(body.startsAt).getTime() &&
      meeting.durationMinutes === body.durationMinutes &&
      meeting.siteId === body.siteId &&
      meeting.placeText === body.placeText;
    if (unchanged) return { ok: true as const };
    const [updated] = await tx
      .update(handoverMeeting)
      .set({
        startsAt: new Date(body.startsAt),
        durationMinutes: body.durationMinutes,
        siteId: body.siteId,
        placeText: body.placeText,
        icsSequence: meeting.icsSequence + 1,
      })
      .where(eq(handoverMeeting.id, handoverId))
      .returning();
    await sendInvitations(
      tx,
      updated!,
      "update",
      await organizerOf(tx, ctx),
      ctx.clock.now(),
      deps.config.PUBLIC_URL,
    );
    await journalBothSides(tx, ctx, {
      action: "handover.rescheduled",
      targetId: meeting.personId,
      from: meeting.structureId,
      to: meeting.targetStructureId,
      reason: `${meetingWords(meeting.startsAt)} déplacée au ${formatDateTime(updated!.startsAt)}`,
    });
    return { ok: true as const };
  });
}

/**
 * Cancels the meeting with its reason: the participants get the calendar cancellation
 * (METHOD:CANCEL) and the reason, through the outbox like the invitation. The same cancellation
 * sent again by the agent who made it (a lost answer, a double click: ADR 0036) answers 200 and
 * sends nothing more; a meeting cancelled by someone else, or for another reason, stays a 409.
 */
export async function cancelHandover(
  deps: Deps,
  ctx: RequestContext,
  handoverId: string,
  body: CancelHandoverBody,
): Promise<{ ok: true }> {
  return deps.db.transaction(async (tx) => {
    await lockRows(tx, handoverMeeting, [handoverId]); // sent twice at once: the second sees the first's status
    const [current] = await tx.select().from(handoverMeeting).where(eq(handoverMeeting.id, handoverId));
    if (
      current?.status === "cancelled" &&
      current.cancelledBy === ctx.actor.userId &&
      current.cancelReason === body.reason
    )
      return { ok: true as const };
    const { meeting } = await findManagedMeeting(tx, ctx, handoverId, { planned: true });
    const [updated] = await tx
      .update(handoverMeeting)
      .set({
        status: "cancelled",
        cancelledAt: ctx.clock.now(),
        cancelledBy: ctx.actor.userId,
        cancelReason: body.reason,
        icsSequence: meeting.icsSequence + 1,
      })
      .where(eq(handoverMeeting.id, handoverId))
      .returning();
    await sendInvitations(
      tx,
      updated!,
      "cancel",
      await organizerOf(tx, ctx),
      ctx.clock.now(),
      deps.config.PUBLIC_URL,
    );
    await journalBothSides(tx, ctx, {
      action: "handover.cancelled",
      targetId: meeting.personId,
      from: meeting.structureId,
      to: meeting.targetStructureId,
      reason: `${meetingWords(meeting.startsAt)}, motif : ${body.reason}`,
    });
    return { ok: true as const };
  });
}

/** Free slots of the receiving structure in the window after release, and the CPIP who may refer the person there. */
export async function handoverSlots(deps: Deps, ctx: RequestContext, handoverId: string) {
  const { meeting } = await findManagedMeeting(deps.db, ctx, handoverId);
  const now = ctx.clock.now();
  const windowStart = meeting.releaseDate;
  const windowEnd = addDays(meeting.releaseDate, firstConvocationDays(deps));
  const today = parisDay(now);
  const fromDay = windowStart > today ? windowStart : today;
  const input =
    fromDay <= windowEnd
      ? await loadSlotInput(deps.db, {
          structureId: meeting.targetStructureId,
          fromDay,
          toDay: windowEnd,
          now,
        })
      : undefined;
  // Released, the person is convoked outside: never in a prison or SAS (ADR 0028, "place"), and only
  // on a day they are out by the one rule (`heldIn`: recorded or expected release).
  const inside = new Set((await detentionSites(deps.db, meeting.targetStructureId)).map((s) => s.id));
  const [detention] = await deps.db
    .select(detentionColumns)
    .from(person)
    .where(eq(person.id, meeting.personId));
  const slots = input
    ? computeSlots(input)
        .filter(
          (s) =>
            s.booked < s.capacity &&
            !inside.has(s.siteId) &&
            heldIn(detention ?? null, parisDay(s.startsAt)) === null,
        )
        .slice(0, 200)
        .map((s) => ({
          siteId: s.siteId,
          siteName: input.siteNames.get(s.siteId) ?? "",
          startsAt: s.startsAt.toISOString(),
          free: s.capacity - s.booked,
        }))
    : [];
  const referents = await referentCandidates(deps.db, meeting.targetStructureId);
  return {
    windowStart,
    windowEnd,
    referents: referents.map((r) => ({ id: r.userId, name: r.displayName })),
    slots,
  };
}

/**
 * Holds the meeting, in one transaction: the first convocation's day is checked against the window,
 * the agenda is frozen in the minutes, the file passes to the milieu ouvert referent (and structure:
 * `transmitFile`), the first convocation is booked with the booking use case in the receiving
 * structure, and its messages to the person wait for the release day. Any refusal writes nothing.
 */
export async function completeHandover(
  deps: Deps,
  ctx: RequestContext,
  handoverId: string,
  body: CompleteHandoverBody,
): Promise<{ ok: true; personId: string | null }> {
  const now = ctx.clock.now();
  const days = firstConvocationDays(deps);
  return inBookingTransaction(deps, async (tx) => {
    await lockRows(tx, handoverMeeting, [handoverId]); // sent twice at once: the second sees the first's status
    const { meeting } = await findManagedMeeting(tx, ctx, handoverId, { planned: true });
    await assertFileOpen(tx, meeting.personId);
    // The minutes of a meeting that has not begun cannot be written: the file passes after it.
    if (meeting.startsAt.getTime() > now.getTime())
      throw errors.handover.notHeldYet(formatDateTime(meeting.startsAt));
    const day = parisDay(new Date(body.firstConvocation.startsAt));
    if (day < meeting.releaseDate || day > addDays(meeting.releaseDate, days))
      throw errors.handover.outsideWindow(days);
    // Out on that day by the one rule (the file as it is before it passes: a new file in another
    // structure carries no detention), else the same 409 as any booking.
    await assertPlaceFits(tx, { personId: meeting.personId, siteId: body.firstConvocation.siteId, day });
    const [detention] = await tx.select(detentionColumns).from(person).where(eq(person.id, meeting.personId));
    // Still detained until the release: no message reaches the person before the morning of the
    // meeting's release date, nor before the release the file says (`messagesFrom`).
    const releaseMorning = parisInstant(meeting.releaseDate, RELEASE_MORNING);
    const fromFile = messagesFrom(detention ?? null, now);
    const agenda = await computeAgenda(tx, meeting.personId);
    const newPersonId = await transmitFile(tx, ctx, {
      via: "handover",
      refWords: meetingWords(meeting.startsAt),
      personId: meeting.personId,
      fromStructureId: meeting.structureId,
      toStructureId: meeting.targetStructureId,
      referentUserId: body.targetReferentUserId,
      consentGiven: body.consentGiven,
      status: "milieu_ouvert",
    });
    // The meeting decided the booking: it is made in the receiving structure on its behalf.
    const delegated: PeopleScope = {
      actorUserId: ctx.actor.userId,
      managerStructures: [meeting.targetStructureId],
      officerStructures: [],
      officerServices: [],
      counselorStructures: [],
    };
    const convocationId = await bookInTransaction(tx, ctx, delegated, {
      personId: newPersonId,
      siteId: body.firstConvocation.siteId,
      startsAt: body.firstConvocation.startsAt,
      needDomains:
        agenda.needs.length > 0
          ? agenda.needs.map((n) => n.domain as never).slice(0, 12)
          : ["acces-aux-droits"],
      demarcheTypeIds: [],
      comment: "Première convocation en milieu ouvert (passage de relais).",
      notifySms: body.firstConvocation.notifySms,
      notifyEmail: body.firstConvocation.notifyEmail,
      confirmSameHalfDay: body.firstConvocation.confirmSameHalfDay,
      messagesNotBefore: fromFile > releaseMorning ? fromFile : releaseMorning,
    });
    await tx
      .update(handoverMeeting)
      .set({
        status: "held",
        minutes: body.minutes,
        decisions: body.decisions,
        consentGiven: true,
        consentReference: body.consentReference,
        personPresent: body.personPresent,
        agenda,
        targetReferentUserId: body.targetReferentUserId,
        firstConvocationId: convocationId,
        resultPersonId: newPersonId,
        heldAt: now,
        heldBy: ctx.actor.userId,
      })
      .where(eq(handoverMeeting.id, handoverId));
    await journalBothSides(tx, ctx, {
      action: "handover.held",
      targetId: newPersonId,
      from: meeting.structureId,
      to: meeting.targetStructureId,
      reason: `${meetingWords(meeting.startsAt)} tenue ${body.personPresent ? "en présence de la personne" : "hors de la présence de la personne"}, consentement : ${body.consentReference}`,
    });
    return { ok: true as const, personId: newPersonId };
  });
}
