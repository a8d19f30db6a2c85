/**
 * The fundings received (ADR 0039): the direction lists them with the total of each year, records,
 * corrects and removes them. The funder, the convention and the collective action are the
 * structure's own (else a field error in French, nothing written); every write in one transaction
 * with its journal row. A funding of a collective action makes its funder a cofunder of the action.
 */
import { and, asc, eq, gte, isNull, ne } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import type {
  FundingBody,
  FundingFormOptions,
  FundingList,
  FundingListQuery,
  FundingView,
  NewFundingBody,
} from "../../../../common/fundings/fundings.schema";
import { formatEuros } from "../../../../common/money";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import {
  collectiveAction,
  collectiveActionCofunder,
  convention,
  directoryEntry,
  funding,
} from "../../../db/schema";
import { fundingViews, fundingYears, managedFunding, mayManageFundings } from "../queries";

export async function listFundings(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  query: FundingListQuery,
): Promise<FundingList> {
  if (!mayManageFundings(ctx.actor, structureId)) throw errors.access.forbidden();
  const fundings = await fundingViews(
    deps.db,
    and(
      eq(funding.structureId, structureId),
      query.year !== undefined ? eq(funding.year, query.year) : undefined,
      query.conventionId ? eq(funding.conventionId, query.conventionId) : undefined,
      query.collectiveActionId ? eq(funding.collectiveActionId, query.collectiveActionId) : undefined,
    ),
  );
  return {
    fundings: fundings.map(({ structureId: _, ...view }) => view),
    years: await fundingYears(deps.db, structureId),
    permissions: { edit: true },
  };
}

export async function fundingFormOptions(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<FundingFormOptions> {
  if (!mayManageFundings(ctx.actor, structureId)) throw errors.access.forbidden();
  const funders = await deps.db
    .select({ id: directoryEntry.id, name: directoryEntry.name, kind: directoryEntry.kind })
    .from(directoryEntry)
    .where(and(eq(directoryEntry.structureId, structureId), isNull(directoryEntry.archivedAt)))
    .orderBy(asc(directoryEntry.name));
  const conventions = await deps.db
    .select({ id: convention.id, title: convention.title })
    .from(convention)
    .where(and(eq(convention.structureId, structureId), ne(convention.status, "ended")))
    .orderBy(asc(convention.title));
  // Actions of the last two years and to come, not cancelled: the ones a funding may still concern.
  const since = new Date(ctx.clock.now().getTime() - 2 * 365 * 24 * 3600 * 1000);
  const actions = await deps.db
    .select({ id: collectiveAction.id, title: collectiveAction.title, startsAt: collectiveAction.startsAt })
    .from(collectiveAction)
    .where(
      and(
        eq(collectiveAction.structureId, structureId),
        ne(collectiveAction.status, "cancelled"),
        gte(collectiveAction.startsAt, since),
      ),
    )
    .orderBy(asc(collectiveAction.startsAt));
  return {
    funders: funders.map((f) => ({ ...f, kind: f.kind as FundingFormOptions["funders"][number]["kind"] })),
    conventions,
    collectiveActions: actions.map((a) => ({ ...a, startsAt: a.startsAt.toISOString() })),
  };
}

/**
 * The funder, convention and action chosen belong to the structure; an archived funder or an ended
 * convention is refused unless the funding already pointed at it (a correction of another field).
 */
async function checkChoices(
  tx: Db,
  structureId: string,
  body: FundingBody,
  saved?: typeof funding.$inferSelect,
): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  const [funder] = await tx
    .select({ id: directoryEntry.id })
    .from(directoryEntry)
    .where(
      and(
        eq(directoryEntry.id, body.funderEntryId),
        eq(directoryEntry.structureId, structureId),
        body.funderEntryId === saved?.funderEntryId ? undefined : isNull(directoryEntry.archivedAt),
      ),
    );
  if (!funder)
    issues.push({
      path: "body.funderEntryId",
      message: "Choisissez un financeur de l'annuaire de la structure (non archivé).",
    });
  if (body.conventionId) {
    const [found] = await tx
      .select({ id: convention.id })
      .from(convention)
      .where(
        and(
          eq(convention.id, body.conventionId),
          eq(convention.structureId, structureId),
          body.conventionId === saved?.conventionId ? undefined : ne(convention.status, "ended"),
        ),
      );
    if (!found)
      issues.push({
        path: "body.conventionId",
        message: "Choisissez une convention de la structure qui n'est pas terminée.",
      });
  }
  if (body.collectiveActionId) {
    const [found] = await tx
      .select({ id: collectiveAction.id })
      .from(collectiveAction)
      .where(
        and(
          eq(collectiveAction.id, body.collectiveActionId),
          eq(collectiveAction.structureId, structureId),
          body.collectiveActionId === saved?.collectiveActionId
            ? undefined
            : ne(collectiveAction.status, "cancelled"),
        ),
      );
    if (!found)
      issues.push({
        path: "body.collectiveActionId",
        message: "Choisissez une action collective de la structure qui n'est pas annulée.",
      });
  }
  if (issues.length > 0) throw errors.request.invalid(issues);
}

function fundingRow(body: FundingBody) {
  return {
    funderEntryId: body.funderEntryId,
    amountEuros: body.amountEuros,
    purpose: body.purpose,
    year: body.year,
    startsOn: body.startsOn || null,
    endsOn: body.endsOn || null,
    conventionId: body.conventionId,
    collectiveActionId: body.collectiveActionId,
  };
}

/** The funder of a collective action's funding is one of its cofunders (« cofinanceurs »). */
async function addCofunder(tx: Db, body: FundingBody): Promise<void> {
  if (!body.collectiveActionId) return;
  await tx
    .insert(collectiveActionCofunder)
    .values({ actionId: body.collectiveActionId, entryId: body.funderEntryId })
    .onConflictDoNothing();
}

async function viewOf(tx: Db, fundingId: string): Promise<{ funding: FundingView }> {
  const [view] = await fundingViews(tx, eq(funding.id, fundingId));
  const { structureId: _, ...shown } = view!;
  return { funding: shown };
}

const journalReason = (body: FundingBody): string =>
  `${formatEuros(body.amountEuros)} — ${body.year} — ${body.purpose}`.replace(/\s/g, " ");

export async function createFunding(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  { id: chosenId, ...body }: NewFundingBody,
): Promise<{ funding: FundingView }> {
  if (!mayManageFundings(ctx.actor, structureId)) throw errors.access.forbidden();
  // Sent again under the id its form chose (a lost answer; twice at once, the second runs again after
  // the primary key's violation): the funding already written is answered (ADR 0036).
  return inTransaction(
    deps.db,
    async (tx) => {
      const row = fundingRow(body);
      if (
        chosenId &&
        (await alreadyCreated(
          tx,
          ctx,
          {
            table: funding,
            id: chosenId,
            scope: [funding.structureId, structureId],
            creator: { journaled: "funding.created" },
          },
          row,
          errors.funding.retriedWithOtherValues,
        ))
      )
        return viewOf(tx, chosenId);
      await checkChoices(tx, structureId, body);
      const now = ctx.clock.now();
      const [created] = await tx
        .insert(funding)
        .values({ id: chosenId, structureId, ...row, createdAt: now, updatedAt: now })
        .returning({ id: funding.id });
      await addCofunder(tx, body);
      await journalFor(tx, ctx, {
        action: "funding.created",
        targetType: "funding",
        targetId: created!.id,
        structureId,
        reason: journalReason(body),
      });
      return viewOf(tx, created!.id);
    },
    { retryUniqueViolation: true },
  );
}

export async function updateFunding(
  deps: Deps,
  ctx: RequestContext,
  fundingId: string,
  body: FundingBody,
): Promise<{ funding: FundingView }> {
  return deps.db.transaction(async (tx) => {
    // Locked before it is read: a removal or correction sent at the same moment waits, then reads
    // what this one left (ADR 0036).
    await lockRows(tx, funding, [fundingId]);
    const saved = await managedFunding(tx, ctx.actor, fundingId);
    if (!saved) throw errors.funding.notFound();
    await checkChoices(tx, saved.structureId, body, saved);
    await tx
      .update(funding)
      .set({ ...fundingRow(body), updatedAt: ctx.clock.now() })
      .where(eq(funding.id, fundingId));
    await addCofunder(tx, body);
    await journalFor(tx, ctx, {
      action: "funding.changed",
      targetType: "funding",
      targetId: fundingId,
      structureId: saved.structureId,
      reason: journalReason(body),
    });
    return viewOf(tx, fundingId);
  });
}

/** A funding recorded by mistake; the action's cofunders stay as they are (edited on the action). */
export async function removeFunding(
  deps: Deps,
  ctx: RequestContext,
  fundingId: string,
): Promise<{ ok: true }> {
  return deps.db.transaction(async (tx) => {
    // Removed twice at once: the second waits for the first, then finds nothing (404), as when sent
    // afterwards; never two "funding.removed" rows (ADR 0036).
    await lockRows(tx, funding, [fundingId]);
    const saved = await managedFunding(tx, ctx.actor, fundingId);
    if (!saved) throw errors.funding.notFound();
    await tx.delete(funding).where(eq(funding.id, fundingId));
    await journalFor(tx, ctx, {
      action: "funding.removed",
      targetType: "funding",
      targetId: fundingId,
      structureId: saved.structureId,
      reason: `${formatEuros(saved.amountEuros)} — ${saved.year} — ${saved.purpose}`.replace(/\s/g, " "),
    });
    return { ok: true as const };
  });
}
