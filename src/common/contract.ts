import { z } from "zod";
import "./zod-fr";
import type { Role } from "./roles";

/**
 * A route contract: the single source for the server handler (validation, serialization, OpenAPI)
 * and for the typed web client. The response schema is the presenter: only listed fields leave.
 *
 * `access`:
 * - `public`: no session needed (login, health);
 * - `partial`: a session that has passed the password but not yet the second factor;
 * - `session`: a fully authenticated session (the default for everything else).
 */
export type RouteAccess = "public" | "partial" | "session";
/**
 * A generated file other than PDF (CSV, XLSX) is `application/octet-stream`: its handler sets the type.
 * `redirect`: a browser navigation answered 303 to the `location` its handler returns (ProConnect).
 */
export type Produces = "application/json" | "application/pdf" | "application/octet-stream" | "redirect";
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Declared by a route whose answer carries a person's data. The mount then makes sure every
 * answered request leaves a committed journal row before it is sent: the use case's own if it is a
 * read or names one of the people concerned, or else one naming them (the `personId` of the path,
 * query or body, and those `peopleIn` the answer). See `ensureJournaled` in the server's mount.
 * The authorization matrix fails for a route that answers a person's data and journals nothing.
 */
export interface Nominative<R = unknown> {
  /** The ids of the people a JSON answer carries (a list names each of them). */
  peopleIn?(response: R): readonly string[];
}

export interface RouteContract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  path: string;
  summary: string;
  access: RouteAccess;
  params: P;
  query: Q;
  body: B;
  response: R;
  /** What a 200 carries: JSON (validated by `response`) or a generated file. */
  produces: Produces;
  /** Present when the answer carries a person's data: see `Nominative`. */
  nominative: Nominative<z.infer<R>> | null;
  /**
   * A file export that reads a whole period: the request may last EXPORT_TIMEOUT_MS instead of
   * REQUEST_TIMEOUT_MS, and its handler runs in one transaction whose statements may last as long.
   * The one place that says which routes are long exports.
   */
  longExport: boolean;
  /** Open to an agent who signed in with a temporary password and has not chosen theirs yet. */
  whilePasswordChangeRequired: boolean;
  /**
   * When set, only an agent holding one of these roles (in some structure) gets past the session
   * check: anyone else is refused (403, `refusal` or "access.forbidden") before the input is read,
   * whatever it is. The handler still decides per structure.
   */
  onlyRoles: { roles: readonly Role[]; refusal?: () => Error } | null;
  /**
   * A `multipart/form-data` upload: its fields (the file as `z.file()`), for the OpenAPI document
   * only. The handler reads the parts itself, within its limits; `body` stays empty.
   */
  form: z.ZodObject | null;
  /**
   * A body with rules that read the day (Paris calendar): a signing day not after today, a planned
   * action not in the past. The server validates the body with `bodyOn(today)`, today by its own
   * clock, so these rules are told with the body's other problems in one answer (ADR 0013); the
   * web form checks with the browser's day. `body` stays the type, the OpenAPI document and the
   * reference of the declared fields.
   */
  bodyOn: ((today: string) => B) | null;
  /**
   * A creation under an id its form chose (ADR 0036) whose day rules must not refuse its own retry:
   * sent again after midnight (its answer lost), the day that was today has gone by. When the body
   * carries an `id` and fails only `bodyOn(today)`'s day rules (it passes `body`), it goes to the use
   * case, which answers the record already written under that id, or else refuses it by the same
   * day rules, checked after looking the id up.
   */
  dayRulesYieldToRetry: boolean;
}

const none = z.object({}).strict();
type None = typeof none;

export function defineRoute<
  R extends z.ZodType,
  P extends z.ZodType = None,
  Q extends z.ZodType = None,
  B extends z.ZodType = None,
>(route: {
  method: HttpMethod;
  path: string;
  summary: string;
  access?: RouteAccess;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  produces?: Produces;
  nominative?: Nominative<z.infer<R>>;
  longExport?: boolean;
  whilePasswordChangeRequired?: boolean;
  onlyRoles?: { roles: readonly Role[]; refusal?: () => Error };
  form?: z.ZodObject;
  bodyOn?: (today: string) => B;
  dayRulesYieldToRetry?: boolean;
}): RouteContract<P, Q, B, R> {
  return {
    method: route.method,
    path: route.path,
    summary: route.summary,
    access: route.access ?? "session",
    params: (route.params ?? none) as P,
    query: (route.query ?? none) as Q,
    body: (route.body ?? none) as B,
    response: route.response,
    produces: route.produces ?? "application/json",
    nominative: route.nominative ?? null,
    longExport: route.longExport ?? false,
    whilePasswordChangeRequired: route.whilePasswordChangeRequired ?? false,
    onlyRoles: route.onlyRoles ?? null,
    form: route.form ?? null,
    bodyOn: route.bodyOn ? lastDayKept(route.bodyOn) : null,
    dayRulesYieldToRetry: route.dayRulesYieldToRetry ?? false,
  };
}

/** A day's schema built once and kept until the day changes (a schema compiles on first use). */
function lastDayKept<B>(build: (today: string) => B): (today: string) => B {
  let kept: { today: string; schema: B } | null = null;
  return (today) => {
    if (kept?.today !== today) kept = { today, schema: build(today) };
    return kept.schema;
  };
}

export const okSchema = z.object({ ok: z.literal(true) });

/** What the handler of a `redirect` route returns: where the browser goes next (a 303). */
export const redirectSchema = z.object({ location: z.string().min(1) });

/** Path with its `:params` replaced, used by the web client and by tests. */
export function fillPath(path: string, params: Record<string, string | number>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

export const uuid = z.uuid({ message: "Identifiant invalide" }).toLowerCase();
