import { and, eq, inArray } from "drizzle-orm";
import type { BookBody, ConvocationView } from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { convocation, demarcheType, site } from "../../../db/schema";
import { mayListPeople, peopleScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { maySetStatus } from "../policies";
import { listConvocations, loadSlotInput, lockSlot, takenSeats, toConvocationView } from "../queries";
import { computeSlots, freeSeat, parisDay } from "../rules";

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" &&
  error !== null &&
  "code" in error &&
  (error as { code: unknown }).code === "23505";

/**
 * Books a slot for a person the actor refers (or directs). Check and write happen in one
 * transaction under a per-slot lock, and the seat's unique index refuses any double booking.
 */
export async function bookConvocation(
  deps: Deps,
  ctx: RequestContext,
  input: BookBody,
): Promise<ConvocationView> {
  const scope = peopleScope(ctx.actor);
  if (!mayListPeople(scope)) throw errors.access.forbidden();
  const startsAt = new Date(input.startsAt);
  try {
    return await deps.db.transaction(async (tx) => {
      const target = await findVisiblePerson(tx, scope, input.personId);
      if (!target) throw errors.person.notFound();
      if (!target.edit) throw errors.access.forbidden();
      const structureId = target.person.structureId;
      const [place] = await tx
        .select({ id: site.id })
        .from(site)
        .where(and(eq(site.id, input.siteId), eq(site.structureId, structureId)));
      if (!place) throw errors.convocation.siteNotInStructure();
      if (input.demarcheTypeIds.length > 0) {
        const known = await tx
          .select({ id: demarcheType.id })
          .from(demarcheType)
          .where(inArray(demarcheType.id, input.demarcheTypeIds));
        if (known.length !== new Set(input.demarcheTypeIds).size)
          throw errors.request.invalid([{ path: "body.demarcheTypeIds", message: "Démarche inconnue." }]);
      }

      await lockSlot(tx, input.siteId, startsAt);
      const day = parisDay(startsAt);
      const slotInput = await loadSlotInput(tx, {
        structureId,
        siteId: input.siteId,
        fromDay: day,
        toDay: day,
        now: ctx.clock.now(),
      });
      const slot =
        slotInput && computeSlots(slotInput).find((s) => s.startsAt.getTime() === startsAt.getTime());
      if (!slot) throw errors.convocation.slotUnavailable();
      const seat = freeSeat(slot.capacity, await takenSeats(tx, input.siteId, startsAt));
      if (seat === null) throw errors.convocation.slotTaken();

      const [created] = await tx
        .insert(convocation)
        .values({
          structureId,
          siteId: input.siteId,
          personId: input.personId,
          startsAt,
          endsAt: slot.endsAt,
          seat,
          needDomains: input.needDomains,
          demarcheTypeIds: input.demarcheTypeIds,
          comment: input.comment,
          notifySms: input.notifySms,
          notifyEmail: input.notifyEmail,
          bookedBy: ctx.actor.userId,
        })
        .returning({ id: convocation.id });
      await journalFor(tx, ctx, {
        action: "convocation.booked",
        targetType: "convocation",
        targetId: created!.id,
        structureId,
        reason: `personne ${input.personId}`,
      });
      const [row] = await listConvocations(tx, scope, { id: created!.id });
      return toConvocationView(row!, ctx.clock.now(), (s, editable) => maySetStatus(ctx.actor, s, editable));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.convocation.slotTaken();
    throw error;
  }
}
