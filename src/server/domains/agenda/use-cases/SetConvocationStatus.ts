import { eq } from "drizzle-orm";
import type { ConvocationView } from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { convocation } from "../../../db/schema";
import { type ConvocationForNotices, enqueueStatusNotices } from "../../notifications/outbox";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope } from "../../people/policies";
import { maySetStatus } from "../policies";
import { listConvocations, lockConvocation, toConvocationView } from "../queries";
import { type ConvocationStatus, transitionProblem } from "../rules";

/**
 * Inside a transaction, once the move is checked: the new status, the person told (cancellation on
 * the channels they heard of the appointment, pending reminders withdrawn), the journal row. Also
 * used when a file is closed.
 */
export async function applyConvocationStatus(
  tx: Db,
  ctx: RequestContext,
  current: ConvocationForNotices,
  status: Exclude<ConvocationStatus, "planned">,
  now: Date,
): Promise<void> {
  await tx
    .update(convocation)
    .set({ status, statusChangedAt: now, statusChangedBy: ctx.actor.userId })
    .where(eq(convocation.id, current.id));
  await enqueueStatusNotices(tx, current, status, now);
  await journalFor(tx, ctx, {
    action: `convocation.${status}`,
    targetType: "convocation",
    targetId: current.id,
    structureId: current.structureId,
  });
}

/**
 * Inside a transaction: the convocation as the actor sees it, on an open file, if they may change
 * its status (404 unseen, 403 without the right, then 409 on a closed file). Shared by the status, correction and
 * arrival use cases. The row stays locked until the transaction ends: the same change sent twice at
 * once runs twice in turn, and the second sees the first's result (ADR 0036).
 */
export async function convocationToChange(tx: Db, ctx: RequestContext, convocationId: string) {
  await lockConvocation(tx, convocationId);
  const [row] = await listConvocations(tx, nominativeScope(ctx.actor), { id: convocationId });
  if (!row) throw errors.convocation.notFound();
  if (!maySetStatus(ctx.actor, row.convocation, row.editable, row.atOwnPermanence))
    throw errors.convocation.statusForbidden();
  await assertFileOpen(tx, row.convocation.personId);
  return row;
}

export async function setConvocationStatus(
  deps: Deps,
  ctx: RequestContext,
  convocationId: string,
  status: Exclude<ConvocationStatus, "planned">,
): Promise<ConvocationView> {
  const now = ctx.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await convocationToChange(tx, ctx, convocationId);
    const current = row.convocation;
    // The same status sent again (an answer lost, ADR 0036): the convocation as it is, nothing more
    // told, journaled or freed.
    if (current.status === status) return toConvocationView(row, now, ctx.actor);
    const problem = transitionProblem(current.status, status, current, now);
    if (problem) throw errors.convocation[problem]();
    await applyConvocationStatus(tx, ctx, current, status, now);
    return toConvocationView(
      { ...row, convocation: { ...current, status, statusChangedAt: now } },
      now,
      ctx.actor,
    );
  });
}
