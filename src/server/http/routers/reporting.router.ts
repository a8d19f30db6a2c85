import type { FastifyInstance, FastifyReply } from "fastify";
import { reportingRoutes } from "../../../common/reporting/reporting.routes";
import type { Deps } from "../../core/deps";
import { compareTerritories } from "../../domains/reporting/use-cases/CompareTerritories";
import {
  committeeReport,
  exportActivity,
  exportNominative,
  exportTables,
  type GeneratedFile,
  listNominative,
} from "../../domains/reporting/use-cases/Exports";
import { getDashboard, getFilterChoices } from "../../domains/reporting/use-cases/GetDashboard";
import { asAttachment } from "../attachment";
import { mount } from "../mount";

function send(reply: FastifyReply, file: GeneratedFile): Uint8Array {
  asAttachment(reply, file.type, file.filename);
  return file.body;
}

export function reportingRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, reportingRoutes.dashboard, ({ query, ctx }) => getDashboard(deps, ctx, query));
  mount(app, deps, reportingRoutes.filterChoices, ({ ctx }) => getFilterChoices(deps, ctx));
  mount(app, deps, reportingRoutes.territories, ({ query, ctx }) => compareTerritories(deps, ctx, query));
  // Long exports: `deps` of the handler is their transaction with the export statement timeout.
  mount(app, deps, reportingRoutes.report, async ({ query, ctx, reply, deps: tx }) =>
    send(reply, await committeeReport(tx, ctx, query)),
  );
  mount(app, deps, reportingRoutes.exportTables, async ({ query, ctx, reply, deps: tx }) =>
    send(reply, await exportTables(tx, ctx, query)),
  );
  mount(app, deps, reportingRoutes.activity, async ({ query, ctx, reply, deps: tx }) =>
    send(reply, await exportActivity(tx, ctx, query)),
  );
  mount(app, deps, reportingRoutes.nominativeList, ({ query, ctx }) => listNominative(deps, ctx, query));
  mount(app, deps, reportingRoutes.nominativeExport, async ({ query, ctx, reply, deps: tx }) => {
    const file = await exportNominative(tx, ctx, query);
    reply.header("x-total-rows", String(file.rows)).header("x-purge-by", encodeURIComponent(file.purgeBy));
    return send(reply, file);
  });
}
