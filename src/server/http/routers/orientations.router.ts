import type { FastifyInstance } from "fastify";
import { orientationsRoutes } from "../../../common/orientations/orientations.routes";
import type { Deps } from "../../core/deps";
import { answerOrientation, inbox } from "../../domains/orientations/use-cases/PartnerSide";
import {
  createOrientation,
  listOrientations,
  moveOrientation,
} from "../../domains/orientations/use-cases/StructureSide";
import { mount } from "../mount";

export function orientationsRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, orientationsRoutes.ofPerson, ({ params, ctx }) =>
    listOrientations(deps, ctx, params.personId),
  );
  mount(app, deps, orientationsRoutes.create, ({ params, body, ctx }) =>
    createOrientation(deps, ctx, params.personId, body),
  );
  mount(app, deps, orientationsRoutes.send, ({ params, ctx }) =>
    moveOrientation(deps, ctx, params.orientationId, "send"),
  );
  mount(app, deps, orientationsRoutes.cancel, ({ params, ctx }) =>
    moveOrientation(deps, ctx, params.orientationId, "cancel"),
  );
  mount(app, deps, orientationsRoutes.inbox, ({ ctx }) => inbox(deps, ctx));
  mount(app, deps, orientationsRoutes.answer, ({ params, body, ctx }) =>
    answerOrientation(deps, ctx, params.orientationId, body),
  );
  mount(app, deps, orientationsRoutes.complete, ({ params, body, ctx }) =>
    answerOrientation(deps, ctx, params.orientationId, { decision: "complete", outcome: body.outcome }),
  );
}
