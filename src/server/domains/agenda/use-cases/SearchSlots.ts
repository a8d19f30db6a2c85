import { and, eq, isNull } from "drizzle-orm";
import type { SlotView } from "../../../../common/agenda/agenda.schema";
import { heldIn, placeProblem, releaseDay } from "../../../../common/detention/place";
import { errors } from "../../../../common/errors";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { convocation, site } from "../../../db/schema";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { assertMaySeeSlots } from "../policies";
import { loadSlotInput } from "../queries";
import { addDays, computeSlots, parisDay, weeklyOpeningMinutes } from "../rules";

interface ForPerson {
  siteIds: string[];
  establishment: { id: string; name: string } | null;
  /** The first day the person held today is out (recorded or expected release), or null. */
  releaseDay: string | null;
}

/**
 * Where a person the actor sees may be convoked from `fromDay` to `toDay` (ADR 0028, addendum
 * "place"), judged on each slot's day by the one rule (`heldIn`): inside their establishment while
 * held, outside the prisons and SAS once out (recorded or expected release). `allows` filters slots.
 */
async function placesForPerson(
  db: Db,
  ctx: RequestContext,
  structureId: string,
  personId: string,
  days: { today: string; fromDay: string; toDay: string },
): Promise<{
  forPerson: ForPerson;
  allows: (siteId: string, day: string) => boolean;
  /** The person is already convoked (planned) at that instant: never twice at the same time. */
  busyAt: (startsAt: Date) => boolean;
}> {
  const target = await findVisiblePerson(db, nominativeScope(ctx.actor), personId);
  if (!target || target.person.structureId !== structureId) throw errors.person.notFound();
  const detention = {
    siteId: target.person.detentionSiteId,
    releasedOn: target.person.releasedOn,
    expectedReleaseDate: target.person.expectedReleaseDate,
  };
  const sites = await db
    .select({ id: site.id, name: site.name, kind: site.kind })
    .from(site)
    // An archived site takes no booking (its history stays): not offered.
    .where(and(eq(site.structureId, structureId), isNull(site.archivedAt)));
  const kinds = new Map(sites.map((s) => [s.id, s]));
  const fits = (siteId: string, day: string): boolean => {
    const place = kinds.get(siteId);
    return place !== undefined && placeProblem(heldIn(detention, day), place) === null;
  };
  const planned = await db
    .select({ startsAt: convocation.startsAt })
    .from(convocation)
    .where(and(eq(convocation.personId, personId), eq(convocation.status, "planned")));
  const busy = new Set(planned.map((c) => c.startsAt.getTime()));
  const establishmentId = heldIn(detention, days.today);
  const held = sites.find((s) => s.id === establishmentId);
  return {
    forPerson: {
      // Held, then out: the two ends of the window say every site offered in it.
      siteIds: sites.filter((s) => fits(s.id, days.fromDay) || fits(s.id, days.toDay)).map((s) => s.id),
      establishment: held ? { id: held.id, name: held.name } : null,
      releaseDay: held ? releaseDay(detention) : null,
    },
    allows: fits,
    busyAt: (startsAt) => busy.has(startsAt.getTime()),
  };
}

/**
 * Free slots of a structure (or one site) over up to 3 months, and its weekly opening total; for a
 * person, only at the sites where they may be convoked and not at a time they are already convoked.
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
  // A site unknown, or of another structure, is not found (as on the structure's other site routes),
  // rather than a site with no slot.
  if (input.siteId !== undefined && !slotInput.siteNames.has(input.siteId))
    throw errors.structure.siteNotFound();
  const person = input.personId
    ? await placesForPerson(deps.db, ctx, input.structureId, input.personId, {
        today,
        fromDay,
        toDay: addDays(fromDay, input.days - 1),
      })
    : null;
  const slots = computeSlots(slotInput)
    .filter(
      (s) =>
        s.booked < s.capacity &&
        (person === null || (person.allows(s.siteId, parisDay(s.startsAt)) && !person.busyAt(s.startsAt))),
    )
    .map((s) => ({
      siteId: s.siteId,
      siteName: slotInput.siteNames.get(s.siteId) ?? "",
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      capacity: s.capacity,
      free: s.capacity - s.booked,
    }));
  return {
    slots,
    weeklyOpeningMinutes: weeklyOpeningMinutes(slotInput.rules, fromDay),
    forPerson: person?.forPerson ?? null,
  };
}
