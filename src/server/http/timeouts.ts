import type { FastifyInstance } from "fastify";
import { errors } from "../../common/errors";
import { isApiRequest } from "./apiRequest";
import { sendAppError } from "./errorHandler";

export interface RequestTimeouts {
  /** Every API request. */
  requestMs: number;
  /** Routes whose contract says `longExport` (mount passes it as the route's config). */
  exportMs: number;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route contract's `longExport`, set by `mount`. */
    longExport?: boolean;
  }
}

/**
 * A request still unanswered after its time gets a 503 with its request id, whatever it waits for
 * (the database's statement timeout usually answers first). Late work is then discarded.
 */
export function registerRequestTimeout(app: FastifyInstance, timeouts: RequestTimeouts): void {
  app.addHook("onRequest", async (req, reply) => {
    if (!isApiRequest(req)) return;
    const ms = req.routeOptions.config.longExport ? timeouts.exportMs : timeouts.requestMs;
    const timer = setTimeout(() => {
      if (reply.sent) return;
      req.log.warn({ requestId: req.id, ms }, "request timeout");
      sendAppError(req, reply, errors.service.unavailable());
    }, ms);
    reply.raw.once("close", () => clearTimeout(timer));
  });
}
