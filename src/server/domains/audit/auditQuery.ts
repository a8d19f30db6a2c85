import { and, eq, gte, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { AuditFilters } from "../../../common/audit/audit.schema";
import { addDays } from "../../../common/calendar";
import { parisInstant } from "../../core/parisTime";
import {
  auditEvent,
  convocation,
  demarche,
  document,
  documentShare,
  membership,
  orientation,
  person,
  transfer,
  user,
} from "../../db/schema";
import { liveShare } from "../documents/access";

/**
 * The name the structure's list of agents shows for an account: the name the direction typed (or
 * the e-mail) while the agent has only a pending invitation there, the account's own name otherwise.
 */
export function shownUserName(structureId: string, userId: SQL | AnyPgColumn): SQL<string | null> {
  return sql<string | null>`(select case
    when exists (
      select 1 from ${membership} p where p.user_id = u.id and p.structure_id = ${structureId}
    ) and not exists (
      select 1 from ${membership} p where p.user_id = u.id and p.structure_id = ${structureId}
        and p.accepted_at is not null
    ) then coalesce(
      (select max(p.invited_name) from ${membership} p
        where p.user_id = u.id and p.structure_id = ${structureId}),
      u.email
    )
    else u.display_name
  end from ${user} u where u.id = ${userId})`;
}

/**
 * Whether one of these structures knows the agent: one of its agents (a membership there, even ended
 * or pending) or someone who acted there (a row of its journal). A journal names, besides its rows'
 * actors, only the agents its structure knows — the account a row is about, the agent a filter or a
 * detail names — so that another structure's direction typing the id of one of our agents never
 * reads back their name (outside review, 2026-12-06).
 */
export function knownToAny(userId: SQL | AnyPgColumn, structureIds: readonly string[]): SQL {
  const ids = [...structureIds];
  return sql`(exists (select 1 from ${membership} where ${and(eq(membership.userId, userId), inArray(membership.structureId, ids))})
    or exists (select 1 from ${auditEvent} where ${and(eq(auditEvent.actorUserId, userId), inArray(auditEvent.structureId, ids))}))`;
}

/** The name of an agent the structure knows (`knownToAny`), null for anyone else. */
export function knownUserName(structureId: string, userId: SQL | AnyPgColumn): SQL<string | null> {
  return sql<
    string | null
  >`(case when ${knownToAny(userId, [structureId])} then ${shownUserName(structureId, userId)} end)`;
}

const UUID_LIST =
  "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(,[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})*$";
/** The row's target ids as uuids, or no id when the target is not a list of uuids (an e-mail...). */
const targetUuids = sql`(case when ${auditEvent.targetId} ~ ${UUID_LIST}
  then string_to_array(${auditEvent.targetId}, ',')::uuid[] else '{}'::uuid[] end)`;

const personName = (p: string) => sql.raw(`upper(${p}.last_name) || ' ' || ${p}.first_name`);

/**
 * Whether the structure knows person `p` without following them: the name it sees in its inbox of
 * documents received (a live share of one of their documents addressed to it, as the received list
 * shows it) or of transfers (a proposal to it, or one it accepted). A share withdrawn or expired, a
 * proposal cancelled or refused, no longer tells it the name.
 */
function knownByShareOrTransfer(structureId: string, today: string): SQL {
  return sql`(exists (select 1 from ${transfer} t where t.person_id = p.id
      and t.to_structure_id = ${structureId} and t.status in ('proposed', 'accepted'))
    or (p.erased_at is null and p.archived_at is null and exists (
      select 1 from ${documentShare} join ${document} on ${document.id} = ${documentShare.documentId}
      where ${document.personId} = p.id and ${document.deletedAt} is null
        and ${documentShare.target} = 'structure' and ${documentShare.recipientStructureId} = ${structureId}
        and ${liveShare(today)})))`;
}

/**
 * Who a row is about, in words, resolved in SQL with the reader's visibility: the people of the
 * reader's structure (a row about a file, a convocation, an orientation or a démarche of theirs),
 * a person of another structure the reader's structure sees in its received documents or transfers
 * (the rows about a share or a proposal addressed to it), or the agent a row about an account
 * names. Null when there is no one to name. `today` (Paris) tells which shares are live.
 */
export function subjectName(structureId: string, today: string): SQL<string | null> {
  return sql<string | null>`case ${auditEvent.targetType}
    when 'person' then (select string_agg(${personName("p")}, ', ' order by p.last_name, p.first_name)
      from ${person} p where p.id = any(${targetUuids})
        and (p.structure_id = ${structureId} or ${knownByShareOrTransfer(structureId, today)}))
    when 'convocation' then (select ${personName("p")} from ${convocation} c join ${person} p on p.id = c.person_id
      where c.id = any(${targetUuids}) and p.structure_id = ${structureId} limit 1)
    when 'orientation' then (select ${personName("p")} from ${orientation} o join ${person} p on p.id = o.person_id
      where o.id = any(${targetUuids}) and p.structure_id = ${structureId} limit 1)
    when 'demarche' then (select ${personName("p")} from ${demarche} d join ${person} p on p.id = d.person_id
      where d.id = any(${targetUuids}) and p.structure_id = ${structureId} limit 1)
    when 'user' then ${knownUserName(structureId, sql`(${targetUuids})[1]`)}
    else null end`;
}

/** Rows about one person: their file, or a convocation, orientation or démarche of theirs. */
function aboutPerson(personId: string): SQL {
  const id = sql`${personId}::uuid`;
  return sql`(
    (${auditEvent.targetType} = 'person' and (${auditEvent.targetId} = ${personId}
      or ${personId} = any(string_to_array(${auditEvent.targetId}, ','))))
    or (${auditEvent.targetType} = 'convocation' and ${auditEvent.targetId} in (
      select c.id::text from ${convocation} c where c.person_id = ${id}))
    or (${auditEvent.targetType} = 'orientation' and ${auditEvent.targetId} in (
      select o.id::text from ${orientation} o where o.person_id = ${id}))
    or (${auditEvent.targetType} = 'demarche' and ${auditEvent.targetId} in (
      select d.id::text from ${demarche} d where d.person_id = ${id}))
  )`;
}

/**
 * The rows a structure's direction may read, filtered: events about the structure, and its agents'
 * own events that belong to no structure (logins, account changes), only from the period they held
 * an accepted membership of the structure: never while merely invited (an e-mail anyone could add),
 * never an administrator's.
 */
export function auditConditions(filters: AuditFilters): SQL {
  const agentRowWhileMember = sql`exists (
    select 1 from ${membership} m
    where m.user_id = ${auditEvent.actorUserId} and m.structure_id = ${filters.structureId}
      and m.accepted_at is not null and ${auditEvent.at} >= m.accepted_at
      and (m.ended_at is null or ${auditEvent.at} <= m.ended_at)
  ) and not exists (
    select 1 from ${membership} a where a.user_id = ${auditEvent.actorUserId} and a.role = 'admin'
  )`;
  const conditions: SQL[] = [
    or(
      eq(auditEvent.structureId, filters.structureId),
      and(isNull(auditEvent.structureId), agentRowWhileMember),
    ) as SQL,
  ];
  if (filters.actorUserId) conditions.push(eq(auditEvent.actorUserId, filters.actorUserId));
  if (filters.action) conditions.push(eq(auditEvent.action, filters.action));
  // A list's read names its people in one comma-separated target: a person is found inside it too.
  if (filters.targetId)
    conditions.push(
      or(
        eq(auditEvent.targetId, filters.targetId),
        sql`${filters.targetId} = any(string_to_array(${auditEvent.targetId}, ','))`,
      ) as SQL,
    );
  if (filters.personId) conditions.push(aboutPerson(filters.personId));
  if (filters.outcome) conditions.push(eq(auditEvent.outcome, filters.outcome));
  if (filters.from) conditions.push(gte(auditEvent.at, parisInstant(filters.from, "00:00")));
  if (filters.to) conditions.push(lt(auditEvent.at, parisInstant(addDays(filters.to, 1), "00:00")));
  return and(...conditions) as SQL;
}
