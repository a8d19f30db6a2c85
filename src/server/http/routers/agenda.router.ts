import type { FastifyInstance } from "fastify";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { Deps } from "../../core/deps";
import { bookConvocation } from "../../domains/agenda/use-cases/BookConvocation";
import { listConvocationsForActor } from "../../domains/agenda/use-cases/ListConvocations";
import { searchSlots } from "../../domains/agenda/use-cases/SearchSlots";
import { setConvocationStatus } from "../../domains/agenda/use-cases/SetConvocationStatus";
import { mount } from "../mount";

export function agendaRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, agendaRoutes.slots, ({ params, query, ctx }) =>
    searchSlots(deps, ctx, {
      structureId: params.structureId,
      siteId: query.siteId,
      from: query.from,
      days: query.days,
    }),
  );
  mount(app, deps, agendaRoutes.book, ({ body, ctx }) => bookConvocation(deps, ctx, body));
  mount(app, deps, agendaRoutes.list, async ({ query, ctx }) => ({
    convocations: await listConvocationsForActor(deps, ctx, {
      ...query,
      toFillIn: query.toFillIn === "true",
    }),
  }));
  mount(app, deps, agendaRoutes.setStatus, ({ params, body, ctx }) =>
    setConvocationStatus(deps, ctx, params.convocationId, body.status),
  );
}
