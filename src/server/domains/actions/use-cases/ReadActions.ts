import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type {
  ActionDetail,
  ActionKind,
  ActionStatus,
  ActionSummary,
} from "../../../../common/actions/actions.schema";
import { isSeriesKind } from "../../../../common/actions/actions.schema";
import { formatDateTime, parisParts } from "../../../../common/dateFormat";
import { errors } from "../../../../common/errors";
import { byFrench } from "../../../../common/frenchOrder";
import type { Role } from "../../../../common/roles";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import {
  collectiveAction,
  collectiveActionDocument,
  collectiveActionInvitation,
  collectiveActionOrganiser,
  directoryContact,
  directoryEntry,
  membership,
  site,
  user,
} from "../../../db/schema";
import { listConvocations, toConvocationView } from "../../agenda/queries";
import { peopleTarget } from "../../audit/JournalNominativeRead";
import { peopleScope } from "../../people/policies";
import { agentNameIn } from "../../structures/queries";
import { localPartnersOf } from "../partners";
import {
  assertMaySeeActions,
  mayConvoke,
  mayOrganise,
  mayRecordOutcomes,
  seesAllConvoked,
} from "../policies";
import { type ActionRow, actionCounts, loadVisibleAction, standingInvitation } from "../queries";
import { placeLabel } from "../rules";

const two = (n: number): string => String(n).padStart(2, "0");
export function parisDayAndTime(at: Date): { day: string; time: string } {
  const p = parisParts(at);
  return { day: `${p.year}-${two(p.monthNumber)}-${two(p.day)}`, time: `${two(p.hour)}:${two(p.minute)}` };
}

async function summaries(
  db: Db,
  rows: (ActionRow & { siteName: string | null; siteAddress: string | null })[],
) {
  const counts = await actionCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map(
    (r): ActionSummary => ({
      id: r.id,
      kind: r.kind as ActionKind,
      title: r.title,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      place: placeLabel(
        r.siteName === null ? null : { name: r.siteName, address: r.siteAddress ?? "" },
        r.address,
      ),
      status: r.status as ActionStatus,
      capacity: r.capacity,
      ...(counts.get(r.id) ?? { convoked: 0, invited: 0, accepted: 0 }),
    }),
  );
}

const withSite = {
  siteName: site.name,
  siteAddress: site.address,
};

export async function listActions(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  query: { when: "upcoming" | "past"; kind?: ActionKind | undefined },
): Promise<{ actions: ActionSummary[] }> {
  assertMaySeeActions(ctx.actor, structureId);
  const now = ctx.clock.now();
  const rows = await deps.db
    .select({ action: collectiveAction, ...withSite })
    .from(collectiveAction)
    .leftJoin(site, eq(site.id, collectiveAction.siteId))
    .where(
      and(
        eq(collectiveAction.structureId, structureId),
        query.when === "upcoming" ? gte(collectiveAction.endsAt, now) : lt(collectiveAction.endsAt, now),
        query.kind ? eq(collectiveAction.kind, query.kind) : undefined,
      ),
    )
    .orderBy(query.when === "upcoming" ? asc(collectiveAction.startsAt) : desc(collectiveAction.startsAt))
    .limit(200);
  return {
    actions: await summaries(
      deps.db,
      rows.map((r) => ({ ...r.action, siteName: r.siteName, siteAddress: r.siteAddress })),
    ),
  };
}

/** Actions of the agent's structures between two instants (the agents' calendars). */
export async function actionsBetween(db: Db, structureIds: string[], from: Date, to: Date) {
  if (structureIds.length === 0) return [];
  return db
    .select({ id: collectiveAction.id, title: collectiveAction.title, startsAt: collectiveAction.startsAt })
    .from(collectiveAction)
    .where(
      and(
        inArray(collectiveAction.structureId, structureIds),
        gte(collectiveAction.startsAt, from),
        lt(collectiveAction.startsAt, to),
      ),
    );
}

export async function actionOptions(deps: Deps, ctx: RequestContext, structureId: string) {
  assertMaySeeActions(ctx.actor, structureId);
  const sites = await deps.db
    .select({ id: site.id, name: site.name, address: site.address })
    .from(site)
    .where(and(eq(site.structureId, structureId), isNull(site.archivedAt)))
    .orderBy(asc(site.name));
  const agentsWith = (roles: Role[]) =>
    deps.db
      .selectDistinct({ id: user.id, name: agentNameIn(structureId) })
      .from(membership)
      .innerJoin(user, eq(user.id, membership.userId))
      .where(
        and(
          eq(membership.structureId, structureId),
          isNull(membership.endedAt),
          isNull(user.disabledAt),
          inArray(membership.role, roles),
        ),
      )
      // By the name shown: the order says nothing of a pending invitation's own name (ADR 0009).
      .then((rows) => rows.sort((a, b) => byFrench(a.name, b.name)));
  const agents = await agentsWith(["probation_officer", "counselor", "service_manager"]);
  const steering = await agentsWith(["steering"]);
  const known = new Set(agents.map((a) => a.id));
  const steeringAgents = steering.filter((a) => !known.has(a.id));
  const contacts = await deps.db
    .select({
      id: directoryContact.id,
      name: directoryContact.name,
      email: directoryContact.email,
      organisation: directoryEntry.name,
    })
    .from(directoryContact)
    .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
    .where(
      and(
        eq(directoryEntry.structureId, structureId),
        isNull(directoryEntry.archivedAt),
        isNull(directoryContact.archivedAt),
        sql`${directoryContact.email} <> ''`,
      ),
    )
    .orderBy(asc(directoryEntry.name), asc(directoryContact.name));
  const entries = await deps.db
    .select({ id: directoryEntry.id, name: directoryEntry.name })
    .from(directoryEntry)
    .where(and(eq(directoryEntry.structureId, structureId), isNull(directoryEntry.archivedAt)))
    .orderBy(asc(directoryEntry.name));
  return { sites, agents, steeringAgents, contacts, entries };
}

/**
 * One action, with its invitations and answers, and the people convoked as the agent may see them:
 * the counselors and the direction see every person convoked, a CPIP only the people they convoke
 * or refer. Reading people's names is journaled.
 */
export async function getAction(deps: Deps, ctx: RequestContext, actionId: string): Promise<ActionDetail> {
  return deps.db.transaction(async (tx) => {
    const action = await loadVisibleAction(tx, ctx.actor, actionId);
    const now = ctx.clock.now();
    const [placeRow] = action.siteId
      ? await tx.select(withSite).from(site).where(eq(site.id, action.siteId))
      : [];
    const [summary] = await summaries(tx, [
      { ...action, siteName: placeRow?.siteName ?? null, siteAddress: placeRow?.siteAddress ?? null },
    ]);
    // Named as in the structure's pickers: an agent yet to sign in under the name the direction typed.
    const organiserName = agentNameIn(action.structureId);
    const organisers = await tx
      .select({ id: user.id, name: organiserName })
      .from(collectiveActionOrganiser)
      .innerJoin(user, eq(user.id, collectiveActionOrganiser.userId))
      .where(eq(collectiveActionOrganiser.actionId, action.id))
      .orderBy(asc(organiserName));
    const invitations = await tx
      .select({
        invitation: collectiveActionInvitation,
        organisation: sql<string>`coalesce(${directoryEntry.name}, '')`,
        notWritten: sql<boolean>`(${directoryContact.archivedAt} is not null or ${directoryEntry.archivedAt} is not null or ${user.disabledAt} is not null)`,
      })
      .from(collectiveActionInvitation)
      .leftJoin(directoryContact, eq(directoryContact.id, collectiveActionInvitation.directoryContactId))
      .leftJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
      .leftJoin(user, eq(user.id, collectiveActionInvitation.userId))
      .where(and(eq(collectiveActionInvitation.actionId, action.id), standingInvitation()))
      .orderBy(asc(collectiveActionInvitation.name));
    const scope = peopleScope(ctx.actor);
    const rows = await listConvocations(tx, scope, { collectiveActionId: action.id });
    const all = seesAllConvoked(ctx.actor, action.structureId);
    const convocations = rows
      .filter((row) => all || row.editable || row.convocation.bookedBy === ctx.actor.userId)
      .map((row) => toConvocationView(row, now, ctx.actor));
    const documents = await tx
      .select()
      .from(collectiveActionDocument)
      .where(eq(collectiveActionDocument.actionId, action.id))
      .orderBy(asc(collectiveActionDocument.createdAt));
    const people = peopleTarget(convocations.map((c) => c.personId));
    await journalFor(tx, ctx, {
      action: "collective_action.read",
      ...(people.targetId
        ? { targetType: "person", targetId: people.targetId }
        : { targetType: "collective_action", targetId: action.id }),
      structureId: action.structureId,
      reason: [`action « ${action.title} » du ${formatDateTime(action.startsAt)}`, ...people.counts].join(
        " ; ",
      ),
    });
    const start = parisDayAndTime(action.startsAt);
    const open = action.status !== "cancelled";
    // A series (working group, steering committee) invites its members (series section), and convokes nobody.
    const generic = !isSeriesKind(action.kind);
    return {
      ...summary!,
      theme: action.theme,
      description: action.description,
      siteId: action.siteId,
      address: action.address,
      day: start.day,
      startTime: start.time,
      endTime: parisDayAndTime(action.endsAt).time,
      organisers,
      ...(await localPartnersOf(tx, action)),
      outcomes: action.outcomes ?? {},
      minutes: action.minutes,
      decisions: action.decisions,
      invitations: invitations.map(({ invitation: i, organisation, notWritten }) => ({
        id: i.id,
        name: i.name,
        email: i.email,
        organisation,
        answer: i.answer as "yes" | "no" | null,
        answeredAt: i.answeredAt?.toISOString() ?? null,
        present: i.present,
        notWritten: Boolean(notWritten),
      })),
      convocations,
      seesAllConvoked: all,
      documents: documents.map((d) => ({
        id: d.id,
        fileName: d.fileName,
        mediaType: d.mediaType,
        size: d.size,
        createdAt: d.createdAt.toISOString(),
      })),
      permissions: {
        edit: open && mayOrganise(ctx.actor, action.structureId, action.kind),
        invite:
          generic && open && action.startsAt > now && mayOrganise(ctx.actor, action.structureId, action.kind),
        convoke:
          generic &&
          open &&
          action.startsAt > now &&
          action.siteId !== null &&
          mayConvoke(ctx.actor, action.structureId),
        recordOutcomes: open && mayRecordOutcomes(ctx.actor, action.structureId, action.kind),
      },
    };
  });
}

/**
 * The partner referent's home: the actions their organisation's contacts (directory entries of
 * their partner) are invited to, with only their own organisation's invitees and answers.
 */
export async function partnerActions(deps: Deps, ctx: RequestContext) {
  const seats = ctx.actor.memberships.filter((m) => m.role === "partner_referent" && m.partnerId);
  if (!ctx.actor.memberships.some((m) => m.role === "partner_referent")) throw errors.access.forbidden();
  if (seats.length === 0) return { actions: [] };
  const rows = await deps.db
    .select({
      action: collectiveAction,
      siteName: site.name,
      siteAddress: site.address,
      inviteeName: collectiveActionInvitation.name,
      answer: collectiveActionInvitation.answer,
    })
    .from(collectiveActionInvitation)
    .innerJoin(collectiveAction, eq(collectiveAction.id, collectiveActionInvitation.actionId))
    .innerJoin(directoryContact, eq(directoryContact.id, collectiveActionInvitation.directoryContactId))
    .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
    .leftJoin(site, eq(site.id, collectiveAction.siteId))
    .where(
      and(
        gte(collectiveAction.endsAt, ctx.clock.now()),
        standingInvitation(),
        sql`(${directoryEntry.structureId}, ${directoryEntry.partnerId}) in (${sql.join(
          seats.map((m) => sql`(${m.structureId}::uuid, ${m.partnerId}::uuid)`),
          sql`, `,
        )})`,
        eq(collectiveAction.structureId, directoryEntry.structureId),
      ),
    )
    .orderBy(asc(collectiveAction.startsAt), asc(collectiveActionInvitation.name));
  const byAction = new Map<
    string,
    {
      id: string;
      kind: ActionKind;
      title: string;
      startsAt: string;
      place: string;
      status: ActionStatus;
      invitees: { name: string; answer: "yes" | "no" | null }[];
    }
  >();
  for (const row of rows) {
    const a = row.action;
    const entry = byAction.get(a.id) ?? {
      id: a.id,
      kind: a.kind as ActionKind,
      title: a.title,
      startsAt: a.startsAt.toISOString(),
      place: placeLabel(
        row.siteName === null ? null : { name: row.siteName, address: row.siteAddress ?? "" },
        a.address,
      ),
      status: a.status as ActionStatus,
      invitees: [],
    };
    entry.invitees.push({ name: row.inviteeName, answer: row.answer as "yes" | "no" | null });
    byAction.set(a.id, entry);
  }
  return { actions: [...byAction.values()].slice(0, 50) };
}
