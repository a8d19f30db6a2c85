import { isDeepStrictEqual } from "node:util";
import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import {
  type ActionBody,
  editedDayIssue,
  heldNotYetMessage,
  isSeriesKind,
  type NewActionBody,
  pastPlannedDayMessage,
} from "../../../../common/actions/actions.schema";
import { parisDay } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { parisInstant } from "../../../core/parisTime";
import { alreadyCreated } from "../../../core/retriedCreation";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import {
  collectiveAction,
  collectiveActionCofunder,
  collectiveActionInvitation,
  collectiveActionOrganiser,
  convocation,
  membership,
  site,
  workingGroupMember,
} from "../../../db/schema";
import { applyConvocationStatus } from "../../agenda/use-cases/SetConvocationStatus";
import { assertSiteOpenFor } from "../closures";
import { type Invitee, queueInvitationMails } from "../mails";
import { checkLocalPartners, localPartnersOf, setCofunders } from "../partners";
import { assertMaySeeActions, mayOrganise } from "../policies";
import {
  type ActionRow,
  actionSeats,
  loadVisibleAction,
  placeOf,
  standingInvitation,
  structureName,
} from "../queries";
import { invitationTokenHash, newInvitationToken } from "../rules";
import { inSeries } from "../series";

/**
 * The site and organisers chosen must belong to the structure (else 400, nothing written); a site
 * archived since takes no new action, though an action held there keeps it (`currentSiteId`).
 */
async function checkChoices(
  tx: Db,
  structureId: string,
  body: ActionBody,
  currentSiteId: string | null = null,
): Promise<void> {
  if (body.siteId) {
    const [found] = await tx
      .select({ id: site.id })
      .from(site)
      .where(
        and(
          eq(site.id, body.siteId),
          eq(site.structureId, structureId),
          body.siteId === currentSiteId ? undefined : isNull(site.archivedAt),
        ),
      )
      // Shared with other actions and bookings, exclusive with the site's archiving: an action
      // cannot slip in between the archive's check and its write.
      .for("share");
    if (!found)
      throw errors.collectiveAction.unknownChoice(
        "body.siteId",
        "Ce lieu n'est pas (ou plus) un lieu ouvert de la structure : choisissez-en un dans la liste.",
      );
  }
  const organisers = [...new Set(body.organiserIds)];
  if (organisers.length > 0) {
    const members = await tx
      .selectDistinct({ userId: membership.userId })
      .from(membership)
      .where(
        and(
          eq(membership.structureId, structureId),
          inArray(membership.userId, organisers),
          isNull(membership.endedAt),
          inArray(membership.role, ["probation_officer", "counselor", "service_manager"]),
        ),
      );
    if (members.length !== organisers.length)
      throw errors.collectiveAction.unknownChoice(
        "body.organiserIds",
        "Un organisateur choisi n'est pas (ou plus) un agent de la structure : choisissez-les dans la liste.",
      );
  }
}

function instants(body: ActionBody): { startsAt: Date; endsAt: Date } {
  return { startsAt: parisInstant(body.day, body.startTime), endsAt: parisInstant(body.day, body.endTime) };
}

function columns(body: ActionBody) {
  return {
    kind: body.kind,
    title: body.title,
    theme: body.theme,
    description: body.description,
    ...instants(body),
    siteId: body.siteId,
    address: body.siteId ? "" : body.address,
    capacity: body.capacity,
    hostEntryId: body.hostEntryId,
  };
}

async function setOrganisers(tx: Db, actionId: string, organiserIds: string[]): Promise<void> {
  await tx.delete(collectiveActionOrganiser).where(eq(collectiveActionOrganiser.actionId, actionId));
  const ids = [...new Set(organiserIds)];
  if (ids.length > 0)
    await tx.insert(collectiveActionOrganiser).values(ids.map((userId) => ({ actionId, userId })));
}

/**
 * A new action « Prévue » is not on a day gone by (Paris), and one recorded « Tenue » has started:
 * 400 under the field, as the route's schema for the day says it first (`newActionBodySchemaOn`).
 */
function assertStatusFitsDay(ctx: RequestContext, body: NewActionBody): void {
  const now = ctx.clock.now();
  const today = parisDay(now);
  if (body.status === "planned" && body.day < today)
    throw errors.request.invalid([{ path: "body.day", message: pastPlannedDayMessage(today) }]);
  if (body.status === "held" && parisInstant(body.day, body.startTime) > now)
    throw errors.request.invalid([{ path: "body.status", message: heldNotYetMessage }]);
}

export async function createAction(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  { id: chosenId, ...body }: NewActionBody,
): Promise<{ id: string }> {
  assertMaySeeActions(ctx.actor, structureId);
  if (!mayOrganise(ctx.actor, structureId, body.kind)) throw errors.access.forbidden();
  // Sent again under the id its form chose (a lost answer; twice at once, the second runs again after
  // the primary key's violation): the action already written is answered (ADR 0036) — even after
  // midnight, when the day it was « Prévue » for has gone by: the day rules come after the lookup.
  return inTransaction(
    deps.db,
    async (tx) => {
      if (chosenId) {
        const sameSet = (stored: string[], sent: string[]) =>
          isDeepStrictEqual([...new Set(stored)].sort(), [...new Set(sent)].sort());
        // Read once the action's row is seen (`alreadyCreated`), so from the same committed write.
        const organisers = async () =>
          (
            await tx
              .select({ id: collectiveActionOrganiser.userId })
              .from(collectiveActionOrganiser)
              .where(eq(collectiveActionOrganiser.actionId, chosenId))
          ).map((r) => r.id);
        const cofunders = async () =>
          (
            await tx
              .select({ id: collectiveActionCofunder.entryId })
              .from(collectiveActionCofunder)
              .where(eq(collectiveActionCofunder.actionId, chosenId))
          ).map((r) => r.id);
        const retried = await alreadyCreated(
          tx,
          ctx,
          {
            table: collectiveAction,
            id: chosenId,
            scope: [collectiveAction.structureId, structureId],
            creator: collectiveAction.createdBy,
          },
          {
            ...columns(body),
            status: body.status,
            organiserIds: async () => sameSet(await organisers(), body.organiserIds),
            cofunderEntryIds: async () => sameSet(await cofunders(), body.cofunderEntryIds),
          },
          errors.collectiveAction.retriedWithOtherValues,
        );
        if (retried) return { id: chosenId };
      }
      assertStatusFitsDay(ctx, body);
      await checkChoices(tx, structureId, body);
      if (body.siteId) await assertSiteOpenFor(tx, { siteId: body.siteId, ...instants(body) });
      await checkLocalPartners(tx, structureId, body);
      const now = ctx.clock.now();
      const [created] = await tx
        .insert(collectiveAction)
        .values({
          id: chosenId,
          structureId,
          ...columns(body),
          status: body.status,
          createdBy: ctx.actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: collectiveAction.id });
      // A working group's or the committee's first meeting starts its series (members and next meetings hang on it).
      if (isSeriesKind(body.kind))
        await tx
          .update(collectiveAction)
          .set({ seriesId: created!.id })
          .where(eq(collectiveAction.id, created!.id));
      await setOrganisers(tx, created!.id, body.organiserIds);
      await setCofunders(tx, created!.id, body.cofunderEntryIds);
      await journalFor(tx, ctx, {
        action: "collective_action.created",
        targetType: "collective_action",
        targetId: created!.id,
        structureId,
      });
      return { id: created!.id };
    },
    { retryUniqueViolation: true },
  );
}

/** Each invitation gets a new link (the previous one stops working) and the updated ICS; returns how many were told. */
async function reissueInvitations(
  tx: Db,
  deps: Deps,
  action: ActionRow,
  mode: "update" | "cancel",
  now: Date,
): Promise<number> {
  const invitations = await tx
    .select()
    .from(collectiveActionInvitation)
    .where(and(eq(collectiveActionInvitation.actionId, action.id), standingInvitation()));
  if (invitations.length === 0) return 0;
  const invitees: Invitee[] = [];
  for (const invitation of invitations) {
    let token: string | null = null;
    if (mode === "update") {
      token = newInvitationToken();
      await tx
        .update(collectiveActionInvitation)
        .set({ tokenHash: invitationTokenHash(token) })
        .where(eq(collectiveActionInvitation.id, invitation.id));
    }
    invitees.push({
      name: invitation.name,
      email: invitation.email,
      directoryContactId: invitation.directoryContactId,
      userId: invitation.userId,
      token,
    });
  }
  // Told: the invitees still in use (an archived contact or a disabled agent gets nothing).
  const queued = await queueInvitationMails(tx, {
    action,
    place: await placeOf(tx, action),
    structureName: await structureName(tx, action.structureId),
    publicUrl: deps.config.PUBLIC_URL,
    mode,
    invitees,
    now,
  });
  return queued.length;
}

/**
 * Whether the action may become, or stop being, a series — a working group or the steering
 * committee (409, nothing written, else): a series invites only its members and convokes nobody,
 * and its members and meetings hang on it. So an action with partners invited or people convoked
 * (not cancelled) does not become one, and a meeting whose series has members or other meetings,
 * or that has invitations, keeps its kind (a working group does not become the committee either).
 */
async function assertKindMayChange(tx: Db, action: ActionRow, kind: ActionBody["kind"]): Promise<void> {
  if (kind === action.kind || (!isSeriesKind(kind) && !isSeriesKind(action.kind))) return;
  const [invited] = await tx
    .select({ id: collectiveActionInvitation.id })
    .from(collectiveActionInvitation)
    .where(and(eq(collectiveActionInvitation.actionId, action.id), standingInvitation()))
    .limit(1);
  if (isSeriesKind(action.kind)) {
    const seriesId = action.seriesId ?? action.id;
    const [member] = await tx
      .select({ id: workingGroupMember.id })
      .from(workingGroupMember)
      .where(eq(workingGroupMember.seriesId, seriesId))
      .limit(1);
    const [otherMeeting] = await tx
      .select({ id: collectiveAction.id })
      .from(collectiveAction)
      .where(and(inSeries(action.structureId, seriesId), ne(collectiveAction.id, action.id)))
      .limit(1);
    if (invited || member || otherMeeting) throw errors.collectiveAction.kindLockedWorkingGroup();
  }
  if (isSeriesKind(kind)) {
    const [convoked] = await tx
      .select({ id: convocation.id })
      .from(convocation)
      .where(and(eq(convocation.collectiveActionId, action.id), ne(convocation.status, "cancelled")))
      .limit(1);
    if (invited || convoked) throw errors.collectiveAction.kindLockedToWorkingGroup();
  }
}

/**
 * Edits an action. A change of date, time or place sends the update to every invitee (same ICS
 * uid, sequence + 1); it is refused while people are convoked (their convocations would move
 * without them being told): cancel their convocations first.
 */
export async function updateAction(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  body: ActionBody,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const action = await loadVisibleAction(tx, ctx.actor, actionId, true);
    if (!mayOrganise(ctx.actor, action.structureId, action.kind, body.kind)) throw errors.access.forbidden();
    const now = ctx.clock.now();
    if (action.status === "cancelled") throw errors.collectiveAction.closed();
    await checkChoices(tx, action.structureId, body, action.siteId);
    await checkLocalPartners(tx, action.structureId, body, {
      hostEntryId: action.hostEntryId,
      cofunderEntryIds: (await localPartnersOf(tx, action)).cofunders.map((c) => c.id),
    });
    await assertKindMayChange(tx, action, body.kind);
    const next = columns(body);
    const moved =
      next.startsAt.getTime() !== action.startsAt.getTime() ||
      next.endsAt.getTime() !== action.endsAt.getTime() ||
      next.siteId !== action.siteId ||
      next.address !== action.address;
    const dayIssue = editedDayIssue(action.status, parisDay(action.startsAt), body.day, parisDay(now));
    if (dayIssue) throw errors.request.invalid([{ path: "body.day", message: dayIssue }]);
    const seats = await actionSeats(tx, action.id);
    if (moved && seats.length > 0) throw errors.collectiveAction.peopleConvoked();
    // Moved onto a closure of its site (or to a closed site): refused, as a new action would be.
    if (moved && next.siteId) await assertSiteOpenFor(tx, { siteId: next.siteId, ...instants(body) });
    if (next.capacity !== null && next.capacity < seats.length)
      throw errors.collectiveAction.capacityBelowConvoked();
    const sequence = moved ? action.sequence + 1 : action.sequence;
    const [updated] = await tx
      .update(collectiveAction)
      .set({
        ...next,
        sequence,
        updatedAt: now,
        // An action that becomes a working group starts its own series; one that stops being one leaves it.
        seriesId: !isSeriesKind(body.kind)
          ? null
          : action.kind === body.kind
            ? (action.seriesId ?? action.id)
            : action.id,
      })
      .where(eq(collectiveAction.id, action.id))
      .returning();
    await setOrganisers(tx, action.id, body.organiserIds);
    await setCofunders(tx, action.id, body.cofunderEntryIds);
    const told = moved ? await reissueInvitations(tx, deps, updated!, "update", now) : 0;
    await journalFor(tx, ctx, {
      action: "collective_action.updated",
      targetType: "collective_action",
      targetId: action.id,
      structureId: action.structureId,
      reason: moved ? `date ou lieu changé ; ${told} invité(s) prévenu(s)` : "détails",
    });
  });
}

/** Cancels an action: CANCEL to every invitee, planned convocations cancelled (people told as usual). */
export async function cancelAction(deps: Deps, ctx: RequestContext, actionId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const action = await loadVisibleAction(tx, ctx.actor, actionId, true);
    if (!mayOrganise(ctx.actor, action.structureId, action.kind)) throw errors.access.forbidden();
    const now = ctx.clock.now();
    if (action.status !== "planned" || action.startsAt.getTime() <= now.getTime())
      throw errors.collectiveAction.closed();
    const [updated] = await tx
      .update(collectiveAction)
      .set({ status: "cancelled", sequence: action.sequence + 1, updatedAt: now })
      .where(eq(collectiveAction.id, action.id))
      .returning();
    const planned = await tx
      .select()
      .from(convocation)
      .where(and(eq(convocation.collectiveActionId, action.id), eq(convocation.status, "planned")));
    for (const c of planned) await applyConvocationStatus(tx, ctx, c, "cancelled", now);
    const told = await reissueInvitations(tx, deps, updated!, "cancel", now);
    await journalFor(tx, ctx, {
      action: "collective_action.cancelled",
      targetType: "collective_action",
      targetId: action.id,
      structureId: action.structureId,
      reason: `${planned.length} convocation(s) annulée(s) ; ${told} invité(s) prévenu(s)`,
    });
  });
}
