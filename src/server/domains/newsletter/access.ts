import { and, eq, inArray } from "drizzle-orm";
import { errors } from "../../../common/errors";
import type { Role } from "../../../common/roles";
import { type RequestContext, structuresWithRole } from "../../core/context";
import type { Db } from "../../db/createDb";
import { newsletterIssue } from "../../db/schema";

/** Who reads the archive of sent issues: the structure's agents and its partners' referents. */
export const ARCHIVE_READERS: Role[] = [
  "service_manager",
  "probation_officer",
  "counselor",
  "mediator",
  "partner_referent",
];

/** Composing and sending: the structure's direction only (403 for anyone else). */
export function assertDirects(ctx: RequestContext, structureId: string): void {
  if (!structuresWithRole(ctx.actor, "service_manager").includes(structureId))
    throw errors.access.forbidden();
}

export type IssueRow = typeof newsletterIssue.$inferSelect;

/**
 * An issue of a structure the actor directs: 403 for an actor directing nothing, 404 for an issue
 * elsewhere (existence does not leak). `lock` takes it FOR UPDATE (the send's status check).
 */
export async function loadIssue(
  db: Db,
  ctx: RequestContext,
  issueId: string,
  lock = false,
): Promise<IssueRow> {
  const directed = structuresWithRole(ctx.actor, "service_manager");
  if (directed.length === 0) throw errors.access.forbidden();
  const query = db
    .select()
    .from(newsletterIssue)
    .where(and(eq(newsletterIssue.id, issueId), inArray(newsletterIssue.structureId, directed)));
  const [found] = lock ? await query.for("update") : await query;
  if (!found) throw errors.newsletter.notFound();
  return found;
}

/** The structures whose archive the actor reads (403 when none). */
export function archiveStructures(ctx: RequestContext): string[] {
  const ids = structuresWithRole(ctx.actor, ...ARCHIVE_READERS);
  if (ids.length === 0) throw errors.access.forbidden();
  return ids;
}
