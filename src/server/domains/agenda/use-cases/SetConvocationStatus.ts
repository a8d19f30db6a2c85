import { eq } from "drizzle-orm";
import type { ConvocationView } from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { convocation } from "../../../db/schema";
import { enqueueStatusNotices } from "../../notifications/outbox";
import { nominativeScope } from "../../people/policies";
import { maySetStatus } from "../policies";
import { listConvocations, toConvocationView } from "../queries";
import { type ConvocationStatus, transitionProblem } from "../rules";

export async function setConvocationStatus(
  deps: Deps,
  ctx: RequestContext,
  convocationId: string,
  status: Exclude<ConvocationStatus, "planned">,
): Promise<ConvocationView> {
  const scope = nominativeScope(ctx.actor);
  const now = ctx.clock.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await listConvocations(tx, scope, { id: convocationId });
    if (!row) throw errors.convocation.notFound();
    const current = row.convocation;
    if (!maySetStatus(ctx.actor, current.structureId, row.editable)) throw errors.access.forbidden();
    const problem = transitionProblem(current.status, status, current.startsAt, now);
    if (problem) throw errors.convocation[problem]();
    await tx
      .update(convocation)
      .set({ status, statusChangedAt: now, statusChangedBy: ctx.actor.userId })
      .where(eq(convocation.id, convocationId));
    await enqueueStatusNotices(tx, current, status, now);
    await journalFor(tx, ctx, {
      action: `convocation.${status}`,
      targetType: "convocation",
      targetId: convocationId,
      structureId: current.structureId,
    });
    return toConvocationView(
      { ...row, convocation: { ...current, status, statusChangedAt: now } },
      now,
      ctx.actor,
    );
  });
}
