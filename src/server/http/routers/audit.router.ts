import type { FastifyInstance } from "fastify";
import { auditRoutes } from "../../../common/audit/audit.routes";
import type { Deps } from "../../core/deps";
import { listAuditEvents } from "../../domains/audit/ListAuditEvents";
import { mount } from "../mount";

export function auditRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, auditRoutes.list, ({ query, ctx }) => listAuditEvents(deps, ctx, query));
}
