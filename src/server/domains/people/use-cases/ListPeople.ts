import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { PeopleFilterOptions } from "../../../../common/people/people.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { person, referent, site, user } from "../../../db/schema";
import { listPeople, type PeopleListFilters, type PeoplePage } from "../peopleList";
import { nominativeScope, visiblePeople } from "../policies";

/**
 * A page of the people the agent may see, without judicial fields. The route declares the list
 * nominative: the mount journals the people it names (ADR 0010).
 */
export async function listPeopleForActor(
  deps: Deps,
  ctx: RequestContext,
  filters: PeopleListFilters,
): Promise<PeoplePage> {
  const scope = nominativeScope(ctx.actor);
  return listPeople(deps.db, scope, filters, ctx.clock.now());
}

/** The choices of the list's filters: the active referents of the people the agent sees, their structures' sites. */
export async function getPeopleFilterOptions(deps: Deps, ctx: RequestContext): Promise<PeopleFilterOptions> {
  const scope = nominativeScope(ctx.actor);
  const structureIds = [
    ...new Set([...scope.managerStructures, ...scope.officerStructures, ...scope.counselorStructures]),
  ];
  const referents = await deps.db
    .selectDistinct({ id: user.id, displayName: user.displayName })
    .from(referent)
    .innerJoin(person, eq(person.id, referent.personId))
    .innerJoin(user, eq(user.id, referent.userId))
    .where(and(isNull(referent.endedAt), visiblePeople(scope)))
    .orderBy(asc(user.displayName), asc(user.id));
  const sites = await deps.db
    .select({ id: site.id, name: site.name })
    .from(site)
    .where(inArray(site.structureId, structureIds))
    .orderBy(asc(site.name));
  return { referents, sites };
}
