import { eq } from "drizzle-orm";
import {
  type ConvocationView,
  type CorrectStatusBody,
  convocationStatusLabels,
} from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { convocation } from "../../../db/schema";
import { cancellationTold, enqueueCorrectionNotices } from "../../notifications/corrections";
import { lockSlot, takenSeats, toConvocationView } from "../queries";
import { correctionProblem } from "../rules";
import { convocationToChange } from "./SetConvocationStatus";

/**
 * Corrects a status set by mistake (ADR 0014), for whoever could set it, within 7 days, with a
 * reason: the status changes in place (the steering rollups follow through their triggers), the
 * arrival is cleared, the journal keeps before → after and the reason, and no second message
 * reaches the person. Undo ("Annuler" right after a click) is the same with the reason
 * "annulé immédiatement".
 */
export async function correctConvocationStatus(
  deps: Deps,
  ctx: RequestContext,
  convocationId: string,
  body: CorrectStatusBody,
): Promise<ConvocationView> {
  const now = ctx.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await convocationToChange(tx, ctx, convocationId);
    const current = row.convocation;
    const problem = correctionProblem(current.status, body.status, current, now);
    if (problem) throw errors.convocation[problem]();
    if (current.status === "honoured" && row.hasVisit) throw errors.convocation.visitRecorded();
    if (current.status === "excused" && (await cancellationTold(tx, current.id))) {
      throw errors.convocation.personTold();
    }
    if (current.status === "excused") {
      // The place was freed: it comes back only if nobody took this seat meanwhile.
      await lockSlot(tx, current.siteId, current.startsAt);
      if ((await takenSeats(tx, current.siteId, current.startsAt)).includes(current.seat)) {
        throw errors.convocation.slotTaken();
      }
    }
    const changes = {
      status: body.status,
      // The 7-day window runs from when the status was first set: a correction does not reopen it.
      statusChangedAt: current.statusChangedAt ?? now,
      statusChangedBy: ctx.actor.userId,
      arrivedAt: null,
    };
    await tx.update(convocation).set(changes).where(eq(convocation.id, convocationId));
    await enqueueCorrectionNotices(tx, current, body.status, now);
    await journalFor(tx, ctx, {
      action: "convocation.status_corrected",
      targetType: "convocation",
      targetId: convocationId,
      structureId: current.structureId,
      reason: `${convocationStatusLabels[current.status]} → ${convocationStatusLabels[body.status]} : ${body.reason}`,
    });
    return toConvocationView({ ...row, convocation: { ...current, ...changes } }, now, ctx.actor);
  });
}
