import type { FastifyInstance } from "fastify";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { Deps } from "../../core/deps";
import { plannedActionsDuring } from "../../domains/actions/closures";
import { loadOpenings } from "../../domains/agenda/openings";
import { assertMaySeeSlots } from "../../domains/agenda/policies";
import { bookConvocation } from "../../domains/agenda/use-cases/BookConvocation";
import { changeOpeningRule } from "../../domains/agenda/use-cases/ChangeOpeningRule";
import {
  addAbsence,
  addClosure,
  addOpeningRule,
  endOpeningRule,
  liftAbsence,
  liftClosure,
  previewStranded,
} from "../../domains/agenda/use-cases/ConfigureOpenings";
import { correctConvocationStatus } from "../../domains/agenda/use-cases/CorrectConvocationStatus";
import { getConvocationLetter } from "../../domains/agenda/use-cases/GetConvocationLetter";
import { listConvocationsForActor } from "../../domains/agenda/use-cases/ListConvocations";
import { noteArrival } from "../../domains/agenda/use-cases/NoteArrival";
import { previewConvocationMessages } from "../../domains/agenda/use-cases/PreviewConvocationMessages";
import { rescheduleConvocation } from "../../domains/agenda/use-cases/RescheduleConvocation";
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
      personId: query.personId,
    }),
  );
  mount(app, deps, agendaRoutes.book, ({ body, ctx }) => bookConvocation(deps, ctx, body));
  mount(app, deps, agendaRoutes.messagesPreview, ({ body, ctx }) =>
    previewConvocationMessages(deps, ctx, body),
  );
  mount(app, deps, agendaRoutes.list, ({ query, ctx }) =>
    listConvocationsForActor(deps, ctx, { ...query, toFillIn: query.toFillIn === "true" }),
  );
  mount(app, deps, agendaRoutes.reschedule, ({ params, body, ctx }) =>
    rescheduleConvocation(deps, ctx, params.convocationId, body),
  );
  mount(app, deps, agendaRoutes.letter, ({ params, ctx }) =>
    getConvocationLetter(deps, ctx, params.convocationId),
  );
  mount(app, deps, agendaRoutes.openings, async ({ params, ctx }) => {
    assertMaySeeSlots(ctx.actor, params.structureId);
    return loadOpenings(deps.db, params.structureId, ctx.clock.now());
  });
  mount(app, deps, agendaRoutes.strandedPreview, async ({ params, query, ctx }) => ({
    convocations: (await previewStranded(deps, ctx, params.structureId, query)).map((c) => ({
      ...c,
      startsAt: c.startsAt.toISOString(),
    })),
    // A closure's site was checked to be the structure's by the preview above.
    actions:
      query.siteId && query.startsAt && query.endsAt
        ? (
            await plannedActionsDuring(deps.db, {
              siteId: query.siteId,
              startsAt: new Date(query.startsAt),
              endsAt: new Date(query.endsAt),
              now: ctx.clock.now(),
            })
          ).map((a) => ({ ...a, startsAt: a.startsAt.toISOString() }))
        : [],
  }));
  mount(app, deps, agendaRoutes.addRule, async ({ params, body, ctx }) => {
    await addOpeningRule(deps, ctx, params.structureId, body);
    return { ok: true as const };
  });
  mount(app, deps, agendaRoutes.endRule, async ({ params, body, ctx }) => {
    await endOpeningRule(deps, ctx, { ...params, lastDay: body.lastDay });
    return { ok: true as const };
  });
  mount(app, deps, agendaRoutes.changeRule, async ({ params, body, ctx }) => {
    await changeOpeningRule(deps, ctx, { ...params, body });
    return { ok: true as const };
  });
  mount(app, deps, agendaRoutes.addClosure, async ({ params, body, ctx }) => ({
    ok: true as const,
    id: await addClosure(deps, ctx, params.structureId, body),
  }));
  mount(app, deps, agendaRoutes.addAbsence, async ({ params, body, ctx }) => ({
    ok: true as const,
    id: await addAbsence(deps, ctx, params.structureId, body),
  }));
  mount(app, deps, agendaRoutes.liftClosure, async ({ params, query, ctx }) => {
    await liftClosure(deps, ctx, { ...params, past: query.past === "true" });
    return { ok: true as const };
  });
  mount(app, deps, agendaRoutes.liftAbsence, async ({ params, query, ctx }) => {
    await liftAbsence(deps, ctx, { ...params, past: query.past === "true" });
    return { ok: true as const };
  });
  mount(app, deps, agendaRoutes.setStatus, ({ params, body, ctx }) =>
    setConvocationStatus(deps, ctx, params.convocationId, body.status),
  );
  mount(app, deps, agendaRoutes.correctStatus, ({ params, body, ctx }) =>
    correctConvocationStatus(deps, ctx, params.convocationId, body),
  );
  mount(app, deps, agendaRoutes.arrival, ({ params, body, ctx }) =>
    noteArrival(deps, ctx, params.convocationId, body.arrived),
  );
}
