import type { PersonSummary } from "../../../../common/people/people.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { nominativeScope } from "../policies";
import { listPeople } from "../queries";

/** A list of names without judicial fields: its reading is not a file consultation (not journaled). */
export async function listPeopleForActor(
  deps: Deps,
  ctx: RequestContext,
  filters: { search?: string | undefined; mine?: boolean },
): Promise<PersonSummary[]> {
  const scope = nominativeScope(ctx.actor);
  return listPeople(deps.db, scope, filters, ctx.clock.now());
}
