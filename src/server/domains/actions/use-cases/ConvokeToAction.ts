import { and, eq, inArray } from "drizzle-orm";
import { type ActionKind, isSeriesKind } from "../../../../common/actions/actions.schema";
import type { NeedDomain } from "../../../../common/agenda/agenda.schema";
import { parisDay } from "../../../../common/calendar";
import { formatDateTime } from "../../../../common/dateFormat";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import { isUniqueViolation } from "../../../core/dbErrors";
import type { Deps } from "../../../core/deps";
import { convocation } from "../../../db/schema";
import { assertPlaceFits, isThroughEstablishment } from "../../detention/queries";
import { enqueueBookingNotices } from "../../notifications/outbox";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { mayConvoke } from "../policies";
import { actionSeats, loadVisibleAction } from "../queries";
import { nextSeat } from "../rules";

/** The reason written on a convocation to an action, by kind (the person's needs it serves). */
const domainsOfKind: Record<ActionKind, NeedDomain[]> = {
  forum_emploi: ["emploi"],
  atelier: [],
  stage: [],
  information_session: ["acces-aux-droits"],
  plenary: [],
  working_group: [],
  steering_committee: [],
};

/**
 * Convokes a person to a collective action through the convocation flow (statuses, "à renseigner",
 * summon and reminder messages, letter). In one transaction: the action row is locked, so two
 * bookings of the last place are serialized and the second answers 409 "complet"; a partial unique
 * index on (action, seat) backs it. A person in detention gets no SMS or e-mail (letter only).
 */
export async function convokeToAction(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  input: { personId: string; comment: string; notifySms: boolean; notifyEmail: boolean },
): Promise<{ convocationId: string; personId: string }> {
  const scope = nominativeScope(ctx.actor);
  try {
    return await deps.db.transaction(async (tx) => {
      const action = await loadVisibleAction(tx, ctx.actor, actionId, true);
      if (!mayConvoke(ctx.actor, action.structureId)) throw errors.access.forbidden();
      if (isSeriesKind(action.kind)) throw errors.collectiveAction.noConvocationToWorkingGroup();
      const now = ctx.clock.now();
      if (action.status !== "planned" || action.startsAt <= now) throw errors.collectiveAction.closed();
      if (!action.siteId) throw errors.collectiveAction.noSiteForPeople();
      const target = await findVisiblePerson(tx, scope, input.personId);
      if (!target || target.person.structureId !== action.structureId) throw errors.person.notFound();
      await assertFileOpen(tx, input.personId);
      if (!target.edit) throw errors.access.forbidden();
      const place = { personId: input.personId, siteId: action.siteId, day: parisDay(action.startsAt) };
      await assertPlaceFits(tx, place);
      const [already] = await tx
        .select({ id: convocation.id })
        .from(convocation)
        .where(
          and(
            eq(convocation.collectiveActionId, action.id),
            eq(convocation.personId, input.personId),
            inArray(convocation.status, ["planned", "honoured", "missed"]),
          ),
        );
      if (already) throw errors.collectiveAction.alreadyConvoked();
      const seat = nextSeat(action.capacity, await actionSeats(tx, action.id));
      if (seat === null) throw errors.collectiveAction.full();
      // Held on the action's day (the one rule, ADR 0028): no SMS nor e-mail, as at a booking.
      const throughEstablishment = await isThroughEstablishment(tx, place);
      const notifySms = input.notifySms && !throughEstablishment;
      const notifyEmail = input.notifyEmail && !throughEstablishment;
      const [created] = await tx
        .insert(convocation)
        .values({
          structureId: action.structureId,
          siteId: action.siteId,
          personId: input.personId,
          startsAt: action.startsAt,
          endsAt: action.endsAt,
          seat,
          needDomains: domainsOfKind[action.kind as ActionKind] ?? [],
          comment: input.comment || action.title,
          notifySms,
          notifyEmail,
          bookedBy: ctx.actor.userId,
          collectiveActionId: action.id,
          createdAt: now,
        })
        .returning({ id: convocation.id });
      await enqueueBookingNotices(
        tx,
        {
          id: created!.id,
          structureId: action.structureId,
          personId: input.personId,
          startsAt: action.startsAt,
          notifySms,
          notifyEmail,
          rescheduled: false,
        },
        now,
      );
      await journalFor(tx, ctx, {
        action: "convocation.booked",
        targetType: "convocation",
        targetId: created!.id,
        structureId: action.structureId,
        reason: `action collective « ${action.title} » du ${formatDateTime(action.startsAt)}`,
      });
      return { convocationId: created!.id, personId: input.personId };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.collectiveAction.full();
    throw error;
  }
}
