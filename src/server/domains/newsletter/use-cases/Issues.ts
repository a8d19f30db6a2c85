import { and, desc, eq, max, sql } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import {
  type Block,
  blockSchema,
  type IssueBody,
  type IssueDetail,
  type IssueStatus,
  type IssueSummary,
  type NewIssueBody,
} from "../../../../common/newsletter/newsletter.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { inTransaction } from "../../../core/transaction";
import { newsletterIssue } from "../../../db/schema";
import { assertDirects, type IssueRow, loadIssue } from "../access";
import { resolveIssue, subscribedContacts } from "../content";
import { forPreview, renderNewsletterEmail } from "../email/render";
import { deliveryCounts } from "../queries";

const blocksOf = (row: IssueRow): Block[] => blockSchema.array().parse(row.blocks);

function summaryOf(row: IssueRow, counts: IssueSummary["counts"]): IssueSummary {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    status: row.status as IssueStatus,
    sentAt: row.sentAt?.toISOString() ?? null,
    counts: row.status === "draft" ? null : counts,
  };
}

export async function detailOf(deps: Deps, row: IssueRow): Promise<IssueDetail> {
  const counts = (await deliveryCounts(deps.db, [row.id])).get(row.id) ?? null;
  return {
    ...summaryOf(row, counts),
    structureId: row.structureId,
    blocks: blocksOf(row),
    subscribers: (await subscribedContacts(deps.db, row.structureId)).length,
  };
}

export async function listIssues(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<{ issues: IssueSummary[]; subscribers: number }> {
  assertDirects(ctx, structureId);
  const rows = await deps.db
    .select()
    .from(newsletterIssue)
    .where(eq(newsletterIssue.structureId, structureId))
    .orderBy(desc(newsletterIssue.number))
    .limit(200);
  const counts = await deliveryCounts(
    deps.db,
    rows.map((r) => r.id),
  );
  return {
    issues: rows.map((r) => summaryOf(r, counts.get(r.id) ?? null)),
    subscribers: (await subscribedContacts(deps.db, structureId)).length,
  };
}

/**
 * A new draft, numbered after the structure's last issue. Sent again under the id its composer chose
 * (a lost answer, ADR 0036), the draft already written is answered: no second issue or journal row.
 * Two at once (the same draft, or two drafts taking the same number): the second runs again after
 * the unique index's violation, and finds the first or takes the next number.
 */
export async function createIssue(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  { id: chosenId, ...body }: NewIssueBody,
): Promise<IssueDetail> {
  assertDirects(ctx, structureId);
  const created = await inTransaction(
    deps.db,
    async (tx) => {
      if (
        chosenId &&
        (await alreadyCreated(
          tx,
          ctx,
          {
            table: newsletterIssue,
            id: chosenId,
            scope: [newsletterIssue.structureId, structureId],
            creator: newsletterIssue.createdBy,
          },
          { title: body.title, blocks: body.blocks },
          errors.newsletter.retriedWithOtherValues,
        ))
      ) {
        const [row] = await tx.select().from(newsletterIssue).where(eq(newsletterIssue.id, chosenId));
        return row!;
      }
      // Drafts created at once take their numbers in turn: max + 1 read under the structure's
      // numbering lock, held until the commit (a unique violation retried once was not enough).
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`newsletter-number|${structureId}`}, 0))`,
      );
      const [last] = await tx
        .select({ n: max(newsletterIssue.number) })
        .from(newsletterIssue)
        .where(eq(newsletterIssue.structureId, structureId));
      const [row] = await tx
        .insert(newsletterIssue)
        .values({
          id: chosenId,
          structureId,
          number: (last?.n ?? 0) + 1,
          title: body.title,
          blocks: body.blocks,
          createdBy: ctx.actor.userId,
          createdAt: ctx.clock.now(),
          updatedAt: ctx.clock.now(),
        })
        .returning();
      if (!row) throw new Error("newsletter issue not inserted");
      await journalFor(tx, ctx, {
        action: "newsletter.create",
        targetType: "newsletter_issue",
        targetId: row.id,
        structureId,
      });
      return row;
    },
    { retryUniqueViolation: true },
  );
  return detailOf(deps, created);
}

export async function getIssue(deps: Deps, ctx: RequestContext, issueId: string): Promise<IssueDetail> {
  return detailOf(deps, await loadIssue(deps.db, ctx, issueId));
}

export async function updateIssue(
  deps: Deps,
  ctx: RequestContext,
  issueId: string,
  body: IssueBody,
): Promise<IssueDetail> {
  const updated = await deps.db.transaction(async (tx) => {
    const found = await loadIssue(tx, ctx, issueId, true);
    if (found.status !== "draft") throw errors.newsletter.notDraft();
    const [row] = await tx
      .update(newsletterIssue)
      .set({ title: body.title, blocks: body.blocks, updatedAt: ctx.clock.now() })
      .where(and(eq(newsletterIssue.id, issueId), eq(newsletterIssue.status, "draft")))
      .returning();
    if (!row) throw errors.newsletter.notDraft();
    await journalFor(tx, ctx, {
      action: "newsletter.update",
      targetType: "newsletter_issue",
      targetId: row.id,
      structureId: row.structureId,
    });
    return row;
  });
  return detailOf(deps, updated);
}

export async function removeIssue(deps: Deps, ctx: RequestContext, issueId: string): Promise<{ ok: true }> {
  await deps.db.transaction(async (tx) => {
    const found = await loadIssue(tx, ctx, issueId, true);
    if (found.status !== "draft") throw errors.newsletter.notDraft();
    await tx.delete(newsletterIssue).where(eq(newsletterIssue.id, issueId));
    await journalFor(tx, ctx, {
      action: "newsletter.delete",
      targetType: "newsletter_issue",
      targetId: issueId,
      structureId: found.structureId,
    });
  });
  return { ok: true };
}

/** A draft filled with the data of the day; a sent issue as it left. */
async function contentOf(deps: Deps, row: IssueRow) {
  if (row.status !== "draft" && row.content) return row.content as Awaited<ReturnType<typeof resolveIssue>>;
  return resolveIssue(deps, { ...row, blocks: blocksOf(row) });
}

export async function previewIssue(deps: Deps, ctx: RequestContext, issueId: string) {
  const row = await loadIssue(deps.db, ctx, issueId);
  const content = await contentOf(deps, row);
  const rendered = forPreview(await renderNewsletterEmail(content));
  return {
    content,
    text: rendered.text,
    subscribers: (await subscribedContacts(deps.db, row.structureId)).length,
  };
}

export async function previewEmailHtml(deps: Deps, ctx: RequestContext, issueId: string): Promise<string> {
  const row = await loadIssue(deps.db, ctx, issueId);
  return forPreview(await renderNewsletterEmail(await contentOf(deps, row))).html;
}
