import { eq } from "drizzle-orm";
import type { SlotView } from "../../../../common/agenda/agenda.schema";
import { heldIn, placeProblem } from "../../../../common/detention/place";
import { errors } from "../../../../common/errors";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { site } from "../../../db/schema";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { assertMaySeeSlots } from "../policies";
import { loadSlotInput } from "../queries";
import { addDays, computeSlots, parisDay, weeklyOpeningMinutes } from "../rules";

interface ForPerson {
  siteIds: string[];
  establishment: { id: string; name: string } | null;
}

/**
 * The sites of the structure where a person the actor sees may be convoked (ADR 0028, addendum
 * "place"): a detainee's establishment only, or every site but the prisons and SAS.
 */
async function sitesForPerson(
  db: Db,
  ctx: RequestContext,
  structureId: string,
  personId: string,
  today: string,
): Promise<ForPerson> {
  const target = await findVisiblePerson(db, nominativeScope(ctx.actor), personId);
  if (!target || target.person.structureId !== structureId) throw errors.person.notFound();
  const establishmentId = heldIn(
    { siteId: target.person.detentionSiteId, releasedOn: target.person.releasedOn },
    today,
  );
  const sites = await db
    .select({ id: site.id, name: site.name, kind: site.kind })
    .from(site)
    .where(eq(site.structureId, structureId));
  const held = sites.find((s) => s.id === establishmentId);
  return {
    siteIds: sites.filter((s) => placeProblem(establishmentId, s) === null).map((s) => s.id),
    establishment: held ? { id: held.id, name: held.name } : null,
  };
}

/**
 * Free slots of a structure (or one site) over up to 3 months, and its weekly opening total; for a
 * person, only at the sites where they may be convoked.
 */
export async function searchSlots(
  deps: Deps,
  ctx: RequestContext,
  input: {
    structureId: string;
    siteId?: string | undefined;
    from?: string | undefined;
    days: number;
    personId?: string | undefined;
  },
): Promise<{ slots: SlotView[]; weeklyOpeningMinutes: number; forPerson: ForPerson | null }> {
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
  const forPerson = input.personId
    ? await sitesForPerson(deps.db, ctx, input.structureId, input.personId, today)
    : null;
  const allowed = forPerson ? new Set(forPerson.siteIds) : null;
  const slots = computeSlots(slotInput)
    .filter((s) => s.booked < s.capacity && (allowed === null || allowed.has(s.siteId)))
    .map((s) => ({
      siteId: s.siteId,
      siteName: slotInput.siteNames.get(s.siteId) ?? "",
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      capacity: s.capacity,
      free: s.capacity - s.booked,
    }));
  return { slots, weeklyOpeningMinutes: weeklyOpeningMinutes(slotInput.rules, fromDay), forPerson };
}
