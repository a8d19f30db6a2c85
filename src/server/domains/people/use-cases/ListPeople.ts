import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { PeopleFilterOptions } from "../../../../common/people/people.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { person, referent, site, user } from "../../../db/schema";
import { describeNominativeRead } from "../../audit/JournalNominativeRead";
import { listPeople, type PeopleListFilters, type PeoplePage } from "../peopleList";
import { nominativeScope, visiblePeople } from "../policies";

/**
 * A page of the people the agent may see, without judicial fields. The list is a nominative read
 * (ADR 0010): its journal row, naming the people of the page and saying how they were selected
 * (`read`: the route and its query), is written by the statement that reads them; none for an
 * empty page.
 */
export async function listPeopleForActor(
  deps: Deps,
  ctx: RequestContext,
  filters: PeopleListFilters,
  read: { route: string; filter: string },
): Promise<PeoplePage> {
  const scope = nominativeScope(ctx.actor);
  const described = await describeNominativeRead(deps.db, ctx, read);
  return listPeople(deps.db, scope, filters, ctx.clock.now(), { ctx, described });
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
