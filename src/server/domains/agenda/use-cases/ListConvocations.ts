import type { ConvocationView } from "../../../../common/agenda/agenda.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { nominativeScope } from "../../people/policies";
import { listConvocations, toConvocationView } from "../queries";
import { addDays, parisInstant } from "../rules";

export async function listConvocationsForActor(
  deps: Deps,
  ctx: RequestContext,
  filters: {
    personId?: string | undefined;
    siteId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    toFillIn: boolean;
  },
): Promise<ConvocationView[]> {
  const scope = nominativeScope(ctx.actor);
  const now = ctx.clock.now();
  const rows = await listConvocations(deps.db, scope, {
    personId: filters.personId,
    siteId: filters.siteId,
    ...(filters.from ? { from: parisInstant(filters.from, "00:00") } : {}),
    ...(filters.to ? { to: parisInstant(addDays(filters.to, 1), "00:00") } : {}),
    ...(filters.toFillIn ? { toFillInBefore: now } : {}),
  });
  return rows.map((row) => toConvocationView(row, now, ctx.actor));
}
