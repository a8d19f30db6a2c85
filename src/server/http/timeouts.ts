import type { FastifyInstance } from "fastify";
import { errors } from "../../common/errors";

export interface RequestTimeouts {
  /** Every API request. */
  requestMs: number;
  /** File exports (`/api/reporting/report`, `…/export`, `…/activity`), which read a whole period. */
  exportMs: number;
}

const EXPORT_PATH = /^\/api\/reporting\/(?:report|export|activity|list\/export)(?:\?|$)|\/export(?:\?|$)/;

/**
 * A request still unanswered after its time gets a 503 with its request id, whatever it waits for
 * (the database's statement timeout usually answers first). Late work is then discarded.
 */
export function registerRequestTimeout(app: FastifyInstance, timeouts: RequestTimeouts): void {
  app.addHook("onRequest", async (req, reply) => {
    if (!req.url.startsWith("/api/")) return;
    const ms = EXPORT_PATH.test(req.url) ? timeouts.exportMs : timeouts.requestMs;
    const timer = setTimeout(() => {
      if (reply.sent) return;
      req.log.warn({ requestId: req.id, ms }, "request timeout");
      const unavailable = errors.service.unavailable();
      reply
        .status(unavailable.status)
        .type("application/json")
        .send({ code: unavailable.code, message: unavailable.message, requestId: req.id });
    }, ms);
    reply.raw.once("close", () => clearTimeout(timer));
  });
}
