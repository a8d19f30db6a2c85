import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from "fastify";
import type { z } from "zod";
import type { RouteContract } from "../../common/contract";
import { errors } from "../../common/errors";
import type { RequestContext } from "../core/context";
import type { Deps, RequestMeta } from "../core/deps";
import type { AuthenticatedSession } from "../domains/identity/use-cases/Authenticate";
import { CONTROL_CHARACTER_MESSAGE, controlCharacterPaths } from "./controlCharacters";

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: FastifyRequest;
  reply: FastifyReply;
  /** The session, present for `partial` and `session` routes. */
  session: AuthenticatedSession;
  /** The request context for use cases (only meaningful on `session` routes). */
  ctx: RequestContext;
  meta: RequestMeta;
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  return { requestId: req.id, ip: req.ip, userAgent: req.headers["user-agent"] ?? "" };
}

/**
 * Collects every issue of every part (params, query, body) so a 400 lists them all at once. Control
 * characters are refused in every string of every part first, whatever the schema says.
 */
function parseInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: RouteContract<P, Q, B, z.ZodType>,
  req: FastifyRequest,
): { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> } {
  const raw = {
    params: req.params ?? {},
    query: req.query ?? {},
    body: route.method === "GET" ? {} : (req.body ?? {}),
  };
  const controlIssues = Object.entries(raw).flatMap(([where, value]) =>
    controlCharacterPaths(value, where).map((path) => ({ path, message: CONTROL_CHARACTER_MESSAGE })),
  );
  const parts = [
    ["params", route.params.safeParse(raw.params)],
    ["query", route.query.safeParse(raw.query)],
    ["body", route.body.safeParse(raw.body)],
  ] as const;
  const schemaIssues = parts.flatMap(([where, result]) =>
    result.success
      ? []
      : result.error.issues.map((issue) => ({
          path: [where, ...issue.path].join("."),
          message: issue.message,
        })),
  );
  const issues = [...controlIssues, ...schemaIssues];
  if (issues.length > 0) throw errors.request.invalid(issues);
  const [params, query, body] = parts.map(([, result]) => result.data);
  return { params: params as z.infer<P>, query: query as z.infer<Q>, body: body as z.infer<B> };
}

/**
 * Mounts a route contract: authentication (401 first), input validation (400), then the handler,
 * whose result is serialized through the contract's response schema (unlisted fields never leave).
 */
export function mount<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  app: FastifyInstance,
  deps: Deps,
  route: RouteContract<P, Q, B, R>,
  handler: (input: HandlerInput<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<z.infer<R>>,
): void {
  const schema: FastifySchema & { summary: string } = {
    summary: route.summary,
    params: route.params,
    querystring: route.query,
    ...(route.method === "GET" ? {} : { body: route.body }),
    ...(route.produces === "application/json"
      ? { response: { 200: route.response } }
      : { produces: [route.produces] }),
  };
  app.route({
    method: route.method,
    url: route.path,
    schema,
    handler: async (req, reply) => {
      const session = req.session;
      if (route.access !== "public") {
        if (!session) throw errors.auth.unauthenticated();
        if (route.access === "session" && session.stage !== "active")
          throw errors.auth.secondFactorRequired();
      }
      const input = parseInput(route, req);
      const meta = requestMeta(req);
      const ctx: RequestContext = {
        actor: session?.actor ?? { userId: "", displayName: "", memberships: [] },
        requestId: meta.requestId,
        ip: meta.ip,
        clock: deps.clock,
      };
      const result = await handler({
        ...input,
        req,
        reply,
        session: session as AuthenticatedSession,
        ctx,
        meta,
      });
      if (route.produces !== "application/json") {
        if (!reply.hasHeader("content-type")) reply.type(route.produces);
        reply.header("cache-control", "no-store");
      }
      return result;
    },
  });
}
