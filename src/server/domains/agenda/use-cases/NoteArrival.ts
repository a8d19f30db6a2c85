import { eq } from "drizzle-orm";
import type { ConvocationView } from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { convocation } from "../../../db/schema";
import { toConvocationView } from "../queries";
import { arrivalProblem } from "../rules";
import { convocationToChange } from "./SetConvocationStatus";

/**
 * The counselor notes that the person arrived (or takes it back): a check-in time on a planned
 * convocation of the day, not a status; whoever may set the status may note it.
 */
export async function noteArrival(
  deps: Deps,
  ctx: RequestContext,
  convocationId: string,
  arrived: boolean,
): Promise<ConvocationView> {
  const now = ctx.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await convocationToChange(tx, ctx, convocationId);
    const current = row.convocation;
    const problem = arrivalProblem(current.status, current.startsAt, now);
    if (problem) throw errors.convocation[problem]();
    const arrivedAt = arrived ? (current.arrivedAt ?? now) : null;
    await tx.update(convocation).set({ arrivedAt }).where(eq(convocation.id, convocationId));
    await journalFor(tx, ctx, {
      action: arrived ? "convocation.arrived" : "convocation.arrival_cleared",
      targetType: "convocation",
      targetId: convocationId,
      structureId: current.structureId,
    });
    return toConvocationView({ ...row, convocation: { ...current, arrivedAt } }, now, ctx.actor);
  });
}
