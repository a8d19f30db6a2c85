import type { FastifyInstance } from "fastify";
import { detentionRoutes } from "../../../common/detention/detention.routes";
import type { Deps } from "../../core/deps";
import { milieuFermeFigures } from "../../domains/detention/figures";
import {
  addAuthorisation,
  listAuthorisations,
  revokeAuthorisation,
} from "../../domains/detention/use-cases/AccessAuthorisations";
import {
  getDetentionSettings,
  saveDetentionSettings,
} from "../../domains/detention/use-cases/DetentionSettings";
import { getMovements, listMovements } from "../../domains/detention/use-cases/GetMovements";
import { getReleasePlan, startPlanItem } from "../../domains/detention/use-cases/ReleasePlan";
import { sasOccupancy } from "../../domains/detention/use-cases/SasOccupancy";
import { mount } from "../mount";

export function detentionRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, detentionRoutes.movements, ({ params, query, ctx }) =>
    getMovements(deps, ctx, params.siteId, query.date),
  );
  mount(app, deps, detentionRoutes.movementsList, ({ params, query, ctx }) =>
    listMovements(deps, ctx, params.siteId, query.date),
  );
  mount(app, deps, detentionRoutes.releasePlan, ({ params, ctx }) =>
    getReleasePlan(deps, ctx, params.personId),
  );
  mount(app, deps, detentionRoutes.startPlanItem, ({ params, body, ctx }) =>
    startPlanItem(deps, ctx, params.personId, body.code),
  );
  mount(app, deps, detentionRoutes.authorisations, ({ params, ctx }) =>
    listAuthorisations(deps, ctx, params.structureId),
  );
  mount(app, deps, detentionRoutes.addAuthorisation, ({ params, body, ctx }) =>
    addAuthorisation(deps, ctx, params.structureId, body),
  );
  mount(app, deps, detentionRoutes.revokeAuthorisation, ({ params, ctx }) =>
    revokeAuthorisation(deps, ctx, params.structureId, params.authorisationId),
  );
  mount(app, deps, detentionRoutes.sasOccupancy, ({ params, ctx }) =>
    sasOccupancy(deps, ctx, params.structureId),
  );
  mount(app, deps, detentionRoutes.settings, ({ params, ctx }) =>
    getDetentionSettings(deps, ctx, params.structureId),
  );
  mount(app, deps, detentionRoutes.saveSettings, ({ params, body, ctx }) =>
    saveDetentionSettings(deps, ctx, params.structureId, body),
  );
  mount(app, deps, detentionRoutes.figures, ({ query, ctx }) => milieuFermeFigures(deps, ctx, query));
}
