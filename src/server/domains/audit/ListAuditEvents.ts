import { and, desc, eq, gte, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { AuditPage, AuditQuery } from "../../../common/audit/audit.schema";
import { addDays } from "../../../common/calendar";
import { errors } from "../../../common/errors";
import { hasRole, type RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { parisInstant } from "../../core/parisTime";
import { auditEvent, membership, user } from "../../db/schema";

const PAGE_SIZE = 50;

/**
 * The actor's name as the structure's list of agents shows it: the name the direction typed (or the
 * e-mail) while the agent has only a pending invitation there, the account's own name otherwise.
 */
function shownActorName(structureId: string): SQL<string | null> {
  return sql<string | null>`case
    when exists (
      select 1 from ${membership} p where p.user_id = ${user.id} and p.structure_id = ${structureId}
    ) and not exists (
      select 1 from ${membership} p where p.user_id = ${user.id} and p.structure_id = ${structureId}
        and p.accepted_at is not null
    ) then coalesce(
      (select max(p.invited_name) from ${membership} p
        where p.user_id = ${user.id} and p.structure_id = ${structureId}),
      ${user.email}
    )
    else ${user.displayName}
  end`;
}

/**
 * The journal of one structure, newest first, for its direction only: events about the structure,
 * and the structure's agents' own events that belong to no structure (logins, account changes).
 */
export async function listAuditEvents(
  deps: Deps,
  ctx: RequestContext,
  query: AuditQuery,
): Promise<AuditPage> {
  if (!hasRole(ctx.actor, "service_manager", query.structureId)) throw errors.access.forbidden();
  // An agent's own structure-less rows, only from the period they held an accepted membership of
  // the structure: never while merely invited (an e-mail anyone could add), never an administrator's.
  const agentRowWhileMember = sql`exists (
    select 1 from ${membership} m
    where m.user_id = ${auditEvent.actorUserId} and m.structure_id = ${query.structureId}
      and m.accepted_at is not null and ${auditEvent.at} >= m.accepted_at
      and (m.ended_at is null or ${auditEvent.at} <= m.ended_at)
  ) and not exists (
    select 1 from ${membership} a where a.user_id = ${auditEvent.actorUserId} and a.role = 'admin'
  )`;
  const conditions: SQL[] = [
    or(
      eq(auditEvent.structureId, query.structureId),
      and(isNull(auditEvent.structureId), agentRowWhileMember),
    ) as SQL,
  ];
  if (query.actorUserId) conditions.push(eq(auditEvent.actorUserId, query.actorUserId));
  if (query.action) conditions.push(eq(auditEvent.action, query.action));
  // A list's read names its people in one comma-separated target: a person is found inside it too.
  if (query.targetId)
    conditions.push(
      or(
        eq(auditEvent.targetId, query.targetId),
        sql`${query.targetId} = any(string_to_array(${auditEvent.targetId}, ','))`,
      ) as SQL,
    );
  if (query.outcome) conditions.push(eq(auditEvent.outcome, query.outcome));
  if (query.from) conditions.push(gte(auditEvent.at, parisInstant(query.from, "00:00")));
  if (query.to) conditions.push(lt(auditEvent.at, parisInstant(addDays(query.to, 1), "00:00")));
  const rows = await deps.db
    .select({ event: auditEvent, actorName: shownActorName(query.structureId) })
    .from(auditEvent)
    .leftJoin(user, eq(user.id, auditEvent.actorUserId))
    .where(and(...conditions))
    .orderBy(desc(auditEvent.at), desc(auditEvent.id))
    .limit(PAGE_SIZE + 1)
    .offset((query.page - 1) * PAGE_SIZE);
  return {
    events: rows.slice(0, PAGE_SIZE).map(({ event, actorName }) => ({
      id: event.id,
      at: event.at.toISOString(),
      actorUserId: event.actorUserId,
      actorName: actorName ?? null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      outcome: event.outcome,
      reason: event.reason,
      requestId: event.requestId,
      ip: event.ip,
    })),
    page: query.page,
    pageSize: PAGE_SIZE,
    hasMore: rows.length > PAGE_SIZE,
  };
}
