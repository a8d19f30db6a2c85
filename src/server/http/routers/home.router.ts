import type { FastifyInstance } from "fastify";
import { homeRoutes } from "../../../common/home/home.routes";
import type { Deps } from "../../core/deps";
import { getHomeNews } from "../../domains/home/use-cases/GetHomeNews";
import { getPermanence } from "../../domains/home/use-cases/GetPermanence";
import { markHomeSeen } from "../../domains/home/use-cases/MarkHomeSeen";
import { mount } from "../mount";

export function homeRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, homeRoutes.news, ({ ctx }) => getHomeNews(deps, ctx));
  mount(app, deps, homeRoutes.markSeen, ({ body, ctx }) => markHomeSeen(deps, ctx, body));
  mount(app, deps, homeRoutes.permanence, ({ ctx }) => getPermanence(deps, ctx));
}
