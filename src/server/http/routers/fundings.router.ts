import type { FastifyInstance } from "fastify";
import { fundingsRoutes } from "../../../common/fundings/fundings.routes";
import type { Deps } from "../../core/deps";
import { fundingFigures } from "../../domains/fundings/figures";
import {
  createFunding,
  fundingFormOptions,
  listFundings,
  removeFunding,
  updateFunding,
} from "../../domains/fundings/use-cases/Fundings";
import { mount } from "../mount";

export function fundingsRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, fundingsRoutes.list, ({ params, query, ctx }) =>
    listFundings(deps, ctx, params.structureId, query),
  );
  mount(app, deps, fundingsRoutes.formOptions, ({ params, ctx }) =>
    fundingFormOptions(deps, ctx, params.structureId),
  );
  mount(app, deps, fundingsRoutes.create, ({ params, body, ctx }) =>
    createFunding(deps, ctx, params.structureId, body),
  );
  mount(app, deps, fundingsRoutes.update, ({ params, body, ctx }) =>
    updateFunding(deps, ctx, params.fundingId, body),
  );
  mount(app, deps, fundingsRoutes.figures, ({ query, ctx }) => fundingFigures(deps, ctx, query));
  mount(app, deps, fundingsRoutes.remove, ({ params, ctx }) => removeFunding(deps, ctx, params.fundingId));
}
