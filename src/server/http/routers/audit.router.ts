import type { FastifyInstance } from "fastify";
import { auditRoutes } from "../../../common/audit/audit.routes";
import type { Deps } from "../../core/deps";
import { exportAuditEvents } from "../../domains/audit/ExportAuditEvents";
import { listAuditEvents } from "../../domains/audit/ListAuditEvents";
import { asAttachment } from "../attachment";
import { mount } from "../mount";

export function auditRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, auditRoutes.list, ({ query, ctx }) => listAuditEvents(deps, ctx, query));
  // A long export: `deps` of the handler is its transaction with the export statement timeout.
  mount(app, deps, auditRoutes.export, async ({ query, ctx, reply, deps: tx }) => {
    const file = await exportAuditEvents(tx, ctx, query);
    asAttachment(reply, file.type, file.filename).header("x-total-rows", String(file.rows));
    return file.body;
  });
}
