import { CONVOCATION_WINDOW_DAYS, type ConvocationList } from "../../../../common/agenda/agenda.schema";
import { parisDay } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { listConvocations, permanenceDays, toConvocationView } from "../queries";
import { addDays, parisInstant } from "../rules";

/**
 * `GET /api/convocations`: one person's convocations, the list to fill in, or a period (at most
 * CONVOCATION_WINDOW_DAYS days); a counselor's period says her permanence days.
 */
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
): Promise<ConvocationList> {
  const scope = nominativeScope(ctx.actor);
  // A person's list is one of their routes: someone the actor may not see is not found (404, and
  // the mount journals the refused read), never an empty list journaled as read.
  if (filters.personId && !(await findVisiblePerson(deps.db, scope, filters.personId)))
    throw errors.person.notFound();
  const now = ctx.clock.now();
  // A person's convocations and those to fill in are listed whole; any other list covers at most
  // CONVOCATION_WINDOW_DAYS days (the query refuses more), from today when no bound is given.
  const span = CONVOCATION_WINDOW_DAYS - 1;
  if (!filters.personId && !filters.toFillIn) {
    if (!filters.from)
      filters = { ...filters, from: filters.to ? addDays(filters.to, -span) : parisDay(now) };
    if (!filters.to) filters = { ...filters, to: addDays(filters.from as string, span) };
  }
  // An agenda (a period, the list to fill in) is the actor's: a counselor's lists her permanences'
  // sites only (`policies.ts#agendaRows`); one person's list is their file's.
  const agenda = !filters.personId;
  const rows = await listConvocations(deps.db, scope, {
    agenda,
    personId: filters.personId,
    siteId: filters.siteId,
    ...(filters.from ? { from: parisInstant(filters.from, "00:00") } : {}),
    ...(filters.to ? { to: parisInstant(addDays(filters.to, 1), "00:00") } : {}),
    ...(filters.toFillIn ? { toFillInBefore: now } : {}),
  });
  const days =
    agenda && filters.from && filters.to
      ? await permanenceDays(deps.db, scope, { fromDay: filters.from, toDay: filters.to })
      : undefined;
  return {
    convocations: rows.map((row) => toConvocationView(row, now, ctx.actor)),
    permanenceDays: days ?? null,
  };
}
