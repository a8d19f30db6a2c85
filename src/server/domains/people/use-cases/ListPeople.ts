import { errors } from "../../../../common/errors";
import type { PersonSummary } from "../../../../common/people/people.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { mayListPeople, peopleScope } from "../policies";
import { listPeople } from "../queries";

/** A list of names without judicial fields: its reading is not a file consultation (not journaled). */
export async function listPeopleForActor(
  deps: Deps,
  ctx: RequestContext,
  filters: { search?: string | undefined; mine?: boolean },
): Promise<PersonSummary[]> {
  const scope = peopleScope(ctx.actor);
  if (!mayListPeople(scope)) throw errors.access.forbidden();
  return listPeople(deps.db, scope, filters, ctx.clock.now());
}
