import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { parisDay } from "../../../../common/calendar";
import type { SasOccupancy } from "../../../../common/detention/detention.schema";
import { heldIn } from "../../../../common/detention/place";
import { errors } from "../../../../common/errors";
import { hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { person, site } from "../../../db/schema";
import { openFile } from "../../people/policies";
import { detentionColumns } from "../queries";

/**
 * The places of each SAS of the structure in service (ADR 0028, addendum "SAS"): the open files held
 * there today by the one rule (`heldIn`: no release recorded on or before today, the expected one
 * not reached) — a closed, merged, archived or erased file is no longer followed and takes no place.
 * Counts only. For the structure's CPIP (the form's warning) and direction (the milieu fermé page);
 * anyone else 403. Never refuses a placement: the recorded data may lag reality.
 */
export async function sasOccupancy(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<SasOccupancy> {
  if (
    !hasRole(ctx.actor, "probation_officer", structureId) &&
    !hasRole(ctx.actor, "service_manager", structureId)
  )
    throw errors.access.forbidden();
  const today = parisDay(ctx.clock.now());
  const sites = await deps.db
    .select({ id: site.id, name: site.name, capacity: site.capacity })
    .from(site)
    .where(and(eq(site.structureId, structureId), eq(site.kind, "sas"), isNull(site.archivedAt)))
    .orderBy(site.name);
  const ids = sites.map((s) => s.id);
  // Narrowed in SQL to those not released by today; `heldIn` decides (the expected release too).
  const placed =
    ids.length === 0
      ? []
      : await deps.db
          .select(detentionColumns)
          .from(person)
          .where(
            and(
              inArray(person.detentionSiteId, ids),
              or(isNull(person.releasedOn), gt(person.releasedOn, today)),
              openFile(),
            ),
          );
  const occupied = new Map<string, number>();
  for (const p of placed) {
    const held = heldIn(p, today);
    if (held) occupied.set(held, (occupied.get(held) ?? 0) + 1);
  }
  return { today, sites: sites.map((s) => ({ ...s, occupied: occupied.get(s.id) ?? 0 })) };
}
