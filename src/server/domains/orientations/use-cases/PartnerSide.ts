import { and, eq, inArray } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import type { InboxItem } from "../../../../common/orientations/orientations.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import { orientation } from "../../../db/schema";
import { peopleTarget } from "../../audit/JournalNominativeRead";
import { sharedDocumentCounts, today } from "../../documents/access";
import { addressedTo, consentCoversReceiver, expireOverdue, inboxItems, receivingSeats } from "../queries";
import { mayMove } from "../rules";

/** The items with how many documents each shares with the actor (`sharedDocumentCounts`). */
async function withDocumentCounts(
  tx: Db,
  ctx: RequestContext,
  items: Omit<InboxItem, "documentCount">[],
): Promise<InboxItem[]> {
  const counts = await sharedDocumentCounts(
    tx,
    ctx.actor,
    items.map((o) => o.id),
    today(ctx.clock.now()),
  );
  return items.map((o) => ({ ...o, documentCount: counts.get(o.id) ?? 0 }));
}

/** The receiving side: a partner referent, or the association's mediation (ADR 0020). */
function assertReceiver(ctx: RequestContext): void {
  if (receivingSeats(ctx.actor).length === 0) throw errors.access.forbidden();
}

/** What was addressed to the partner referent's organisation, or to the mediation; reading it is journaled. */
export async function inbox(deps: Deps, ctx: RequestContext): Promise<{ orientations: InboxItem[] }> {
  assertReceiver(ctx);
  return deps.db.transaction(async (tx) => {
    // A read writes nothing: an overdue orientation reads as expired (the scheduled job expires it).
    const orientations = await withDocumentCounts(
      tx,
      ctx,
      await inboxItems(tx, addressedTo(ctx.actor), ctx.clock.now()),
    );
    // The row names the people whose identity the inbox showed, so each file's journal lists it.
    const shown = orientations.filter((o) => o.person !== null).map((o) => o.id);
    const rows =
      shown.length === 0
        ? []
        : await tx
            .select({ personId: orientation.personId })
            .from(orientation)
            .where(inArray(orientation.id, shown));
    const people = peopleTarget(rows.map((r) => r.personId));
    await journalFor(tx, ctx, {
      action: "orientation.inbox_read",
      ...(people.targetId
        ? { targetType: "person", targetId: people.targetId }
        : { targetType: "partner", targetId: ctx.actor.userId }),
      reason: [`${orientations.length} orientations`, ...people.counts].join(" ; "),
    });
    return { orientations };
  });
}

/**
 * The partner (or the mediation) answers: accepted, refused (with a reason, shown to the person or
 * not), completed. The referent CPIP reads it in their home's news.
 */
export async function answerOrientation(
  deps: Deps,
  ctx: RequestContext,
  orientationId: string,
  answer: {
    decision: "accept" | "refuse" | "complete";
    reason?: string;
    showReasonToPerson?: boolean;
    outcome?: string;
  },
): Promise<InboxItem> {
  assertReceiver(ctx);
  const where = and(eq(orientation.id, orientationId), addressedTo(ctx.actor));
  // A write may expire it first, in its own transaction: a refused answer rolls its own back.
  await expireOverdue(deps.db, where, ctx.clock.now(), ctx.requestId);
  return inTransaction(deps.db, async (tx) => {
    // Two answers at once (accepted and refused, or the same twice): the second reads the status the
    // first left and is refused as if sent afterwards.
    await lockRows(tx, orientation, [orientationId]);
    const [o] = await tx.select().from(orientation).where(where);
    if (!o) throw errors.orientation.notFound();
    if (o.status === "expired") throw errors.orientation.expired();
    if (!mayMove(o.status, answer.decision)) throw errors.orientation.invalidTransition();
    // Once the person withdrew their consent the receiving side no longer knows who it is: it may
    // still decline or report an outcome, never take the file on.
    const covered = await consentCoversReceiver(tx, o);
    if (!covered && answer.decision === "accept") throw errors.orientation.consentRequired();
    const now = ctx.clock.now();
    await tx
      .update(orientation)
      .set(
        answer.decision === "complete"
          ? { status: "completed", outcome: answer.outcome ?? "", completedAt: now }
          : {
              status: answer.decision === "accept" ? "accepted" : "refused",
              refusalReason: answer.decision === "refuse" ? (answer.reason ?? "") : "",
              refusalReasonForPerson: answer.decision === "refuse" && Boolean(answer.showReasonToPerson),
              answeredAt: now,
              answeredBy: ctx.actor.userId,
            },
      )
      .where(eq(orientation.id, o.id));
    await journalFor(tx, ctx, {
      action: `orientation.${answer.decision === "accept" ? "accepted" : answer.decision === "refuse" ? "refused" : "completed"}`,
      targetType: "orientation",
      targetId: o.id,
      structureId: o.structureId,
    });
    const [item] = await withDocumentCounts(tx, ctx, await inboxItems(tx, eq(orientation.id, o.id), now));
    return item!;
  });
}
