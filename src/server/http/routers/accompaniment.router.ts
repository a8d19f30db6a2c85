import type { FastifyInstance } from "fastify";
import { accompanimentRoutes } from "../../../common/accompaniment/accompaniment.routes";
import { alertsRoutes } from "../../../common/accompaniment/alerts";
import type { Deps } from "../../core/deps";
import { getAccompaniment } from "../../domains/accompaniment/use-cases/GetAccompaniment";
import { getAlerts } from "../../domains/accompaniment/use-cases/GetAlerts";
import { recordVisit } from "../../domains/accompaniment/use-cases/RecordVisit";
import { addDemarche, updateDemarche } from "../../domains/accompaniment/use-cases/UpdateDemarche";
import { mount } from "../mount";

export function accompanimentRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, accompanimentRoutes.get, ({ params, ctx }) =>
    getAccompaniment(deps, ctx, params.personId),
  );
  mount(app, deps, accompanimentRoutes.recordVisit, ({ params, body, ctx }) =>
    recordVisit(deps, ctx, params.convocationId, body),
  );
  mount(app, deps, alertsRoutes.mine, ({ ctx }) => getAlerts(deps, ctx));
  mount(app, deps, accompanimentRoutes.addDemarche, ({ params, body, ctx }) =>
    addDemarche(deps, ctx, params.personId, body),
  );
  mount(app, deps, accompanimentRoutes.updateDemarche, ({ params, body, ctx }) =>
    updateDemarche(deps, ctx, params.demarcheId, body),
  );
}
