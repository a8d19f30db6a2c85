import { eq } from "drizzle-orm";
import type { ConvocationView, NeedDomain } from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { convocation } from "../../../db/schema";
import { withdrawPendingNotices } from "../../notifications/outbox";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope } from "../../people/policies";
import { listConvocations, lockConvocation, replacementAt, toConvocationView } from "../queries";
import { bookInTransaction, inBookingTransaction } from "./BookConvocation";

/**
 * Reschedule = the planned convocation is cancelled by the service and a new one, linked to it and
 * with the same reasons, is booked — in one transaction, so neither happens without the other.
 * Sent again (an answer lost, ADR 0036), the same move answers the convocation that replaced the old
 * one, as it is now: no second booking, message or journal row. Another move of a convocation already
 * moved stays refused, and so does a move to the slot it already holds (409 `convocation.sameSlot`).
 */
export async function rescheduleConvocation(
  deps: Deps,
  ctx: RequestContext,
  convocationId: string,
  input: {
    siteId: string;
    startsAt: string;
    notifySms: boolean;
    notifyEmail: boolean;
    confirmSameHalfDay: boolean;
  },
): Promise<ConvocationView> {
  const scope = nominativeScope(ctx.actor);
  return inBookingTransaction(deps, async (tx) => {
    await lockConvocation(tx, convocationId);
    const [row] = await listConvocations(tx, scope, { id: convocationId });
    if (!row) throw errors.convocation.notFound();
    const old = row.convocation;
    await assertFileOpen(tx, old.personId);
    if (!row.editable) throw errors.access.forbidden();
    const now = ctx.clock.now();
    if (old.status === "cancelled") {
      const replacement = await replacementAt(tx, old.id, {
        siteId: input.siteId,
        startsAt: new Date(input.startsAt),
      });
      const [current] = replacement ? await listConvocations(tx, scope, { id: replacement }) : [];
      if (current) return toConvocationView(current, now, ctx.actor);
    }
    if (old.status !== "planned") throw errors.convocation.invalidTransition();
    // Its own slot is no move: refused before anything is cancelled, booked or sent.
    if (old.siteId === input.siteId && old.startsAt.getTime() === new Date(input.startsAt).getTime())
      throw errors.convocation.sameSlot();
    await tx
      .update(convocation)
      .set({ status: "cancelled", statusChangedAt: now, statusChangedBy: ctx.actor.userId })
      .where(eq(convocation.id, old.id));
    // The person hears of the new date only (a "reschedule" message), not of a cancellation.
    await withdrawPendingNotices(tx, old.id, "Rendez-vous reporté.");
    await journalFor(tx, ctx, {
      action: "convocation.cancelled",
      targetType: "convocation",
      targetId: old.id,
      structureId: old.structureId,
      reason: "report",
    });
    const id = await bookInTransaction(tx, ctx, scope, {
      personId: old.personId,
      siteId: input.siteId,
      startsAt: input.startsAt,
      needDomains: old.needDomains as NeedDomain[],
      demarcheTypeIds: old.demarcheTypeIds,
      comment: old.comment,
      notifySms: input.notifySms,
      notifyEmail: input.notifyEmail,
      confirmSameHalfDay: input.confirmSameHalfDay,
      rescheduledFromId: old.id,
    });
    const [created] = await listConvocations(tx, scope, { id });
    return toConvocationView(created!, now, ctx.actor);
  });
}
