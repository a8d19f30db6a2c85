import { and, desc, eq, inArray } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { type IssueContent, issueContentSchema } from "../../../../common/newsletter/newsletter.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { newsletterIssue } from "../../../db/schema";
import { archiveStructures } from "../access";

/** The sent issues of a structure, for its agents and its partners' referents (never a draft). */
export async function listArchive(deps: Deps, ctx: RequestContext, structureId: string) {
  if (!archiveStructures(ctx).includes(structureId)) throw errors.access.forbidden();
  const rows = await deps.db
    .select({
      id: newsletterIssue.id,
      number: newsletterIssue.number,
      title: newsletterIssue.title,
      sentAt: newsletterIssue.sentAt,
    })
    .from(newsletterIssue)
    .where(and(eq(newsletterIssue.structureId, structureId), eq(newsletterIssue.status, "sent")))
    .orderBy(desc(newsletterIssue.number))
    .limit(200);
  return {
    issues: rows.map((r) => ({ ...r, sentAt: (r.sentAt as Date).toISOString() })),
  };
}

export async function readArchivedIssue(
  deps: Deps,
  ctx: RequestContext,
  issueId: string,
): Promise<{ id: string; sentAt: string; content: IssueContent }> {
  const structures = archiveStructures(ctx);
  const [row] = await deps.db
    .select()
    .from(newsletterIssue)
    .where(
      and(
        eq(newsletterIssue.id, issueId),
        eq(newsletterIssue.status, "sent"),
        inArray(newsletterIssue.structureId, structures),
      ),
    );
  if (!row?.sentAt || !row.content) throw errors.newsletter.notFound();
  return { id: row.id, sentAt: row.sentAt.toISOString(), content: issueContentSchema.parse(row.content) };
}
