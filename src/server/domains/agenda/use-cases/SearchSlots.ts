import type { SlotView } from "../../../../common/agenda/agenda.schema";
import { errors } from "../../../../common/errors";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { assertMaySeeSlots } from "../policies";
import { loadSlotInput } from "../queries";
import { addDays, computeSlots, parisDay, weeklyOpeningMinutes } from "../rules";

/** Free slots of a structure (or one site) over up to 3 months, and its weekly opening total. */
export async function searchSlots(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; siteId?: string | undefined; from?: string | undefined; days: number },
): Promise<{ slots: SlotView[]; weeklyOpeningMinutes: number }> {
  assertMaySeeSlots(ctx.actor, input.structureId);
  const now = ctx.clock.now();
  const today = parisDay(now);
  const fromDay = input.from && input.from > today ? input.from : today;
  const slotInput = await loadSlotInput(deps.db, {
    structureId: input.structureId,
    siteId: input.siteId,
    fromDay,
    toDay: addDays(fromDay, input.days - 1),
    now,
  });
  if (!slotInput) throw errors.access.forbidden();
  const slots = computeSlots(slotInput)
    .filter((s) => s.booked < s.capacity)
    .map((s) => ({
      siteId: s.siteId,
      siteName: slotInput.siteNames.get(s.siteId) ?? "",
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      capacity: s.capacity,
      free: s.capacity - s.booked,
    }));
  return { slots, weeklyOpeningMinutes: weeklyOpeningMinutes(slotInput.rules, fromDay) };
}
