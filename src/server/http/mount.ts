import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from "fastify";
import type { z } from "zod";
import { parisDay } from "../../common/calendar";
import { type RouteContract, redirectSchema, uuid } from "../../common/contract";
import { AppError, errors } from "../../common/errors";
import type { RequestContext } from "../core/context";
import type { Deps, RequestMeta } from "../core/deps";
import { withExportStatementTimeout } from "../core/longStatements";
import {
  journalNominativeRead,
  journalRefusedRead,
  readIsJournaled,
} from "../domains/audit/JournalNominativeRead";
import type { AuthenticatedSession } from "../domains/identity/use-cases/Authenticate";
import {
  CONTROL_CHARACTER_MESSAGE,
  controlCharacterPaths,
  MAX_INPUT_DEPTH,
  nestedDeeperThan,
  TOO_DEEP_MESSAGE,
} from "./controlCharacters";
import { issuesAt, unknownKeyIssues } from "./unknownKeys";

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
  /** The dependencies to use: for a long export, bound to its transaction and statement timeout. */
  deps: Deps;
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  return { requestId: req.id, ip: req.ip, userAgent: req.headers["user-agent"] ?? "" };
}

export const NOT_AN_OBJECT_MESSAGE = "Le contenu de la requête doit être un objet JSON ({ … }).";

/**
 * Collects every issue of every part (params, query, body) so a 400 lists them all at once. Control
 * characters are refused in every string of every part first, whatever the schema says; a body's
 * fields its schema does not declare are refused too (`unknownKeyIssues`).
 */
function parseInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: RouteContract<P, Q, B, z.ZodType>,
  req: FastifyRequest,
  now: Date,
): { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> } {
  // Only an absent body (no content) stands for `{}`: a JSON `null`, array or scalar is refused, as
  // every body is a JSON object (a route without fields takes `{}` or nothing).
  // An upload's body is read by its handler (`receiveUpload`), which says what a request without a
  // file lacks: a JSON body sent there is not checked here as if the form's fields were unknown keys.
  const sentBody: unknown = route.method === "GET" || route.form || req.body === undefined ? {} : req.body;
  if (sentBody === null || typeof sentBody !== "object" || Array.isArray(sentBody))
    throw errors.request.invalid([{ path: "body", message: NOT_AN_OBJECT_MESSAGE }]);
  const raw = { params: req.params ?? {}, query: req.query ?? {}, body: sentBody };
  // A body nested thousands of levels deep would exhaust the stack of any recursive walk: refused first.
  const tooDeep = Object.entries(raw).filter(([, value]) => nestedDeeperThan(value, MAX_INPUT_DEPTH));
  if (tooDeep.length > 0)
    throw errors.request.invalid(tooDeep.map(([path]) => ({ path, message: TOO_DEEP_MESSAGE })));
  const controlIssues = Object.entries(raw).flatMap(([where, value]) =>
    controlCharacterPaths(value, where).map((path) => ({ path, message: CONTROL_CHARACTER_MESSAGE })),
  );
  const parts = [
    ["params", route.params.safeParse(raw.params)],
    ["query", route.query.safeParse(raw.query)],
    ["body", parseBody(route, raw.body, now)],
  ] as const;
  const schemaIssues = parts.flatMap(([where, result]) =>
    result.success ? [] : issuesAt(where, result.error.issues),
  );
  // A field holding a control character gets that one message, not also its schema's.
  const controlPaths = new Set(controlIssues.map((issue) => issue.path));
  const issues = [
    ...controlIssues,
    ...schemaIssues.filter((issue) => !controlPaths.has(issue.path)),
    // Undeclared fields of a body or a query string are refused, whether the schema is strict or
    // not (ADR 0010): a misspelt filter never gives unfiltered figures in silence.
    ...unknownKeyIssues(route.query, raw.query, "query"),
    ...unknownKeyIssues(route.body, raw.body, "body"),
  ];
  if (issues.length > 0) throw errors.request.invalid(issues);
  const [params, query, body] = parts.map(([, result]) => result.data);
  return { params: params as z.infer<P>, query: query as z.infer<Q>, body: body as z.infer<B> };
}

/**
 * A body whose rules read the day is checked against the server's Paris day (`bodyOn`). A creation
 * under a chosen id that fails only those day rules goes on when its route says so
 * (`dayRulesYieldToRetry`): its use case answers the record already written or refuses it by them.
 */
function parseBody(route: RouteContract, body: object, now: Date) {
  if (!route.bodyOn) return route.body.safeParse(body);
  const onToday = route.bodyOn(parisDay(now)).safeParse(body);
  if (onToday.success || !route.dayRulesYieldToRetry || typeof (body as { id?: unknown }).id !== "string")
    return onToday;
  const withoutDayRules = route.body.safeParse(body);
  return withoutDayRules.success ? withoutDayRules : onToday;
}

/** The people an answer concerns: the `personId` of the input, and those the contract finds in it. */
function peopleConcerned(
  route: RouteContract,
  input: Record<"params" | "query" | "body", unknown>,
  result: unknown,
): string[] {
  const fromAnswer =
    route.produces === "application/json" ? (route.nominative?.peopleIn?.(result) ?? []) : [];
  return [...peopleInInput(input), ...fromAnswer];
}

/** The `personId` of the params, query or body. */
function peopleInInput(input: Record<"params" | "query" | "body", unknown>): string[] {
  return Object.values(input).flatMap((part) => {
    const personId = (part as { personId?: unknown } | null)?.personId;
    return typeof personId === "string" ? [personId] : [];
  });
}

/**
 * A nominative route's answer leaves a journal row: the use case's own when it read (a read action)
 * or named one of the people concerned (`readIsJournaled`), or else a `person.data_read` row written
 * here. A route that finds people in its answers and found nobody (an empty list) carries no one's
 * data. What is guaranteed: the answer is sent only once its journal row is committed — the use
 * case's row with its transaction, this row in its own statement after it (or in the long export's
 * transaction) — and when a row cannot be written the request fails (503, `JournalWriteFailed`)
 * and nothing of the answer leaves. Not guaranteed: that the read and this fallback row commit
 * atomically; a read whose row failed returns nothing, so nothing was disclosed.
 */
async function ensureJournaled(
  deps: Deps,
  ctx: RequestContext,
  route: RouteContract,
  req: FastifyRequest,
  input: Record<"params" | "query" | "body", unknown>,
  result: unknown,
): Promise<void> {
  if (!route.nominative) return;
  const personIds = peopleConcerned(route, input, result);
  if (personIds.length === 0 && route.nominative.peopleIn) return;
  if (readIsJournaled(ctx.journaled ?? [], personIds)) return;
  await journalNominativeRead(deps, ctx, { ...nominativeRead(route, req), personIds });
}

/**
 * What a nominative read's journal row says it read: the route, and the filter that selected the
 * people (the request's query string, cut at 500 characters). For a use case that writes the row
 * itself (the people list, in the statement that reads).
 */
export function nominativeRead(route: RouteContract, req: FastifyRequest): { route: string; filter: string } {
  const query = req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
  return { route: `${route.method} ${route.path}`, filter: query.slice(0, 500) };
}

/**
 * Mounts a route contract: authentication (401 first), the roles the route is for if it says (403),
 * input validation (400), then the handler,
 * whose result is serialized through the contract's response schema (unlisted fields never leave).
 * A nominative route's answer is journaled before it leaves (see `Nominative`).
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
    // An upload is documented as the form it is (the no-op validator leaves it to the handler).
    ...(route.method === "GET"
      ? {}
      : route.form
        ? { body: route.form, consumes: ["multipart/form-data"] }
        : { body: route.body }),
    ...(route.produces === "application/json"
      ? { response: { 200: route.response } }
      : route.produces === "redirect"
        ? {}
        : { produces: [route.produces] }),
  };
  app.route({
    method: route.method,
    url: route.path,
    schema,
    config: { longExport: route.longExport },
    handler: async (req, reply) => {
      reply.header("x-request-id", req.id);
      const session = req.session;
      const meta = requestMeta(req);
      const ctx: RequestContext = {
        actor: session?.actor ?? { userId: "", displayName: "", memberships: [] },
        requestId: meta.requestId,
        ip: meta.ip,
        clock: deps.clock,
        journaled: [],
      };
      if (route.access !== "public") {
        if (!session) throw errors.auth.unauthenticated();
        if (route.access === "session" && session.stage !== "active")
          throw errors.auth.secondFactorRequired();
        // A temporary password: nothing but the session, the logout and the change of password.
        if (session.mustChangePassword && !route.whilePasswordChangeRequired)
          throw errors.auth.passwordChangeRequired();
        const { onlyRoles } = route;
        if (onlyRoles && !session.actor.memberships.some((m) => onlyRoles.roles.includes(m.role))) {
          const refusal = (onlyRoles.refusal ?? errors.access.forbidden)();
          // Refused before its input is read: a well-formed `personId` it named is still journaled
          // as a refused read of that person, as a refusal by the handler would be.
          if (route.nominative && refusal instanceof AppError)
            await journalRefusedRead(deps, ctx, {
              route: `${route.method} ${route.path}`,
              code: refusal.code,
              personIds: peopleInInput({ params: req.params, query: req.query, body: req.body }).flatMap(
                (id) => {
                  const parsed = uuid.safeParse(id);
                  return parsed.success ? [parsed.data] : [];
                },
              ),
            });
          throw refusal;
        }
      }
      const input = parseInput(route, req, deps.clock.now());
      const authenticated = session as AuthenticatedSession;
      // A long export runs whole (handler and fallback journal row) in its own transaction.
      const answer = async (scoped: Deps): Promise<z.infer<R>> => {
        const result = await handler({
          ...input,
          req,
          reply,
          session: authenticated,
          ctx,
          meta,
          deps: scoped,
        });
        await ensureJournaled(scoped, ctx, route, req, input, result);
        return result;
      };
      const result = await (route.longExport ? withExportStatementTimeout(deps, answer) : answer(deps)).catch(
        async (error: unknown) => {
          if (route.nominative && error instanceof AppError && (error.status === 403 || error.status === 404))
            await journalRefusedRead(deps, ctx, {
              route: `${route.method} ${route.path}`,
              code: error.code,
              personIds: peopleInInput(input),
            });
          // A refusal that names people (their convocations, say) is a read of their data: journaled
          // before it leaves, its use case's transaction having been rolled back.
          if (error instanceof AppError && error.disclosed.length > 0)
            await journalNominativeRead(deps, ctx, {
              route: `${route.method} ${route.path}`,
              filter: "",
              personIds: [...error.disclosed],
            });
          throw error;
        },
      );
      if (route.produces === "redirect") {
        reply.header("cache-control", "no-store");
        return reply.redirect(redirectSchema.parse(result).location, 303);
      }
      if (route.produces !== "application/json") {
        if (!reply.hasHeader("content-type")) reply.type(route.produces);
        reply.header("cache-control", "no-store");
      }
      return result;
    },
  });
}
