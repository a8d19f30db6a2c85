import type { FastifyRequest } from "fastify";

/**
 * Whether `req` is answered by the API: the route the router matched, not the target as sent —
 * `/%61pi/people` and the absolute form `http://host/api/people` reach the same routes as
 * `/api/people`, and must go through the same checks. An address under /api/ that names no route
 * (a 404) counts too.
 */
export function isApiRequest(req: FastifyRequest): boolean {
  return (req.routeOptions.url ?? "").startsWith("/api/") || req.url.startsWith("/api/");
}
