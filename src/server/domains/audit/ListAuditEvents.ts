import { and, desc, eq } from "drizzle-orm";
import type { AuditPage, AuditQuery } from "../../../common/audit/audit.schema";
import { parisDay } from "../../../common/calendar";
import { errors } from "../../../common/errors";
import { hasRole, type RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { auditEvent, person } from "../../db/schema";
import { auditConditions, shownUserName, subjectName } from "./auditQuery";
import { idsIn, namesOf, renderAuditReason } from "./auditReason";

const PAGE_SIZE = 50;

type AuditRow = typeof auditEvent.$inferSelect;

/** The rows of the journal with who did it and who it is about, in words, newest first. */
export async function selectAuditRows(
  deps: Deps,
  filters: Parameters<typeof auditConditions>[0],
  page: { limit: number; offset: number },
): Promise<{ event: AuditRow; actorName: string | null; subjectName: string | null }[]> {
  return deps.db
    .select({
      event: auditEvent,
      actorName: shownUserName(filters.structureId, auditEvent.actorUserId),
      subjectName: subjectName(filters.structureId, parisDay(deps.clock.now())),
    })
    .from(auditEvent)
    .where(auditConditions(filters))
    .orderBy(desc(auditEvent.at), desc(auditEvent.id))
    .limit(page.limit)
    .offset(page.offset);
}

export function assertReadsJournal(ctx: RequestContext, structureId: string): void {
  if (!hasRole(ctx.actor, "service_manager", structureId)) throw errors.access.forbidden();
}

/**
 * The person a journal is filtered by must be a file of the structure (archived or erased ones
 * included: their rows stay): a person of another structure, or an unknown id, is a 404 like on
 * every person route, never an empty page that would tell one from the other.
 */
export async function assertJournalPerson(deps: Deps, filters: { structureId: string; personId?: string }) {
  if (!filters.personId) return;
  const [found] = await deps.db
    .select({ id: person.id })
    .from(person)
    .where(and(eq(person.id, filters.personId), eq(person.structureId, filters.structureId)));
  if (!found) throw errors.person.notFound();
}

/**
 * The journal of one structure, newest first, for its direction only: events about the structure,
 * and the structure's agents' own events that belong to no structure (logins, account changes).
 * Filtered by a person, the read is journaled by the mount (the route is nominative). Each detail is
 * rendered in French (`renderAuditReason`), the stored row unchanged.
 */
export async function listAuditEvents(
  deps: Deps,
  ctx: RequestContext,
  query: AuditQuery,
): Promise<AuditPage> {
  assertReadsJournal(ctx, query.structureId);
  await assertJournalPerson(deps, query);
  const { page, ...filters } = query;
  const rows = await selectAuditRows(deps, filters, {
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
  });
  const nameOf = await namesOf(
    deps.db,
    rows.flatMap(({ event }) => idsIn(event.reason)),
    [filters.structureId],
  );
  return {
    events: rows.slice(0, PAGE_SIZE).map(({ event, actorName, subjectName }) => ({
      id: event.id,
      at: event.at.toISOString(),
      actorUserId: event.actorUserId,
      actorName: actorName ?? null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      subjectName: subjectName ?? null,
      outcome: event.outcome,
      reason: renderAuditReason(event.action, event.reason, nameOf, event.targetId),
      requestId: event.requestId,
      ip: event.ip,
    })),
    page,
    pageSize: PAGE_SIZE,
    hasMore: rows.length > PAGE_SIZE,
  };
}
