import type { FastifyInstance } from "fastify";
import { opsRoutes } from "../../../common/ops/ops.routes";
import type { Deps } from "../../core/deps";
import type { Readiness } from "../../core/readiness";
import { mount } from "../mount";

/** `/healthz` and `/readyz` (ADR 0026): no session, no data, never cached. */
export function opsRouter(app: FastifyInstance, deps: Deps, readiness: Readiness): void {
  mount(app, deps, opsRoutes.health, async ({ reply }) => {
    reply.header("cache-control", "no-store");
    return { status: "ok" as const };
  });
  mount(app, deps, opsRoutes.ready, async ({ req, reply }) => {
    reply.header("cache-control", "no-store");
    const failures = await readiness.failures();
    if (failures.length === 0) return { status: "ready" as const };
    // Which check failed goes to the log, for the operator; the answer says nothing more.
    req.log.warn({ failures }, "readiness: not ready");
    reply.code(503);
    return { status: "unavailable" as const };
  });
}
