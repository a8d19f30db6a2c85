import type { z } from "zod";
import { authRoutes } from "../../common/auth/auth.routes";
import { fillPath, type RouteContract } from "../../common/contract";
import type { AppErrorBody } from "../../common/errors";

/** An API error, with the catalogue's French message and the issues of a 400. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: AppErrorBody,
  ) {
    super(body.message);
  }
}

let csrfToken = "";
const SESSION_PATH = authRoutes.session.path;
const LOGOUT_PATH = authRoutes.logout.path;
const UNAUTHENTICATED = "auth.unauthenticated";
const CSRF_REFUSED = "request.csrf";

/**
 * Told when a call is refused because the agent is no longer signed in (their session expired, or
 * ended in another tab): the session provider then opens the "Votre session a expiré" dialog over
 * the page, which keeps what was typed.
 */
const expiryListeners = new Set<() => void>();
export function onSessionExpired(listener: () => void): () => void {
  expiryListeners.add(listener);
  return () => expiryListeners.delete(listener);
}
function tellExpiry(): void {
  for (const listener of expiryListeners) listener();
}

function errorOf(response: Response, payload: unknown, fallback: string): ApiError {
  const body = payload as Partial<AppErrorBody>;
  const expired = response.status === 401 && body.code === UNAUTHENTICATED;
  return new ApiError(response.status, {
    code: body.code ?? "request.internal",
    message: expired
      ? "Votre session a expiré : reconnectez-vous, puis recommencez."
      : (body.message ?? fallback),
    ...(body.issues ? { issues: body.issues } : {}),
    ...(body.requestId ? { requestId: body.requestId } : {}),
  });
}

/**
 * No answer from Passerelle: the request failed in the network (an instance killed or restarting,
 * a connection reset), or a reverse proxy answered its own 502/503/504 page for an instance that
 * died or did not answer. For the agent it is the server's own 503 (ADR 0008): the service is
 * momentarily unavailable, and trying again in a moment is right (another instance, or the same
 * one restarted, takes the retry; ADR 0036 makes it safe).
 */
function noAnswer(status = 503): ApiError {
  // The catalogue's `service.unavailable` (common/errors.ts, not bundled for one message; tested).
  return new ApiError(status, { code: "service.unavailable", message: UNAVAILABLE_MESSAGE });
}
export const UNAVAILABLE_MESSAGE = "Service momentanément indisponible, réessayez dans un instant.";
const PROXY_UNAVAILABLE = new Set([502, 503, 504]);

/** A 502/503/504 that is not Passerelle's own error (it always carries a code): a proxy's page. */
const proxyPage = (status: number, payload: unknown): boolean =>
  PROXY_UNAVAILABLE.has(status) && typeof (payload as { code?: unknown } | undefined)?.code !== "string";

/** The answer of `fetch`, or the error of no answer (a rejected fetch, a proxy's error page). */
async function answerOf(url: string, init: RequestInit): Promise<{ response: Response; payload: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw noAnswer();
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (proxyPage(response.status, payload)) throw noAnswer(response.status);
  return { response, payload: payload ?? {} };
}

/** The error of a 401 answered outside `call` (an upload with progress): tells the expiry listeners. */
export function sessionExpired(payload: unknown): ApiError {
  const error = errorOf(new Response(null, { status: 401 }), payload, "Vous devez vous connecter.");
  if (error.body.code === UNAUTHENTICATED) tellExpiry();
  return error;
}

/**
 * Sends a request; a 401 tells the expiry listeners. A 403 for a missing or stale CSRF token (the
 * session was renewed, in another tab for instance) was refused before anything was done: the
 * session's token is read again and the request sent once more.
 */
async function send(url: string, init: () => RequestInit, fallback: string): Promise<unknown> {
  let { response, payload } = await answerOf(url, init());
  if (response.status === 403 && (payload as Partial<AppErrorBody>).code === CSRF_REFUSED) {
    const { response: session, payload: sessionPayload } = await answerOf(SESSION_PATH, {
      credentials: "same-origin",
    });
    const view = sessionPayload as { csrfToken?: unknown; authenticated?: unknown };
    if (session.ok && typeof view.csrfToken === "string") {
      setCsrfToken(view.csrfToken);
      ({ response, payload } = await answerOf(url, init()));
    } else if (session.status === 401) {
      response = session;
      payload = view;
    } else if (session.ok && view.authenticated === false) {
      // Signed out meanwhile (the session read says so in a 200): refused as any route without a session.
      response = new Response(null, { status: 401 });
      payload = { code: UNAUTHENTICATED, message: "Vous devez vous connecter." };
    }
  }
  if (response.ok) return payload;
  const error = errorOf(response, payload, fallback);
  // The session read and the logout say "signed out" themselves.
  if (error.body.code === UNAUTHENTICATED && !url.startsWith(SESSION_PATH) && !url.startsWith(LOGOUT_PATH))
    tellExpiry();
  throw error;
}
/** Set from the session view; sent with every state-changing request. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The CSRF header, for a request not sent through `call` or `upload` (an upload with progress). */
export function csrfHeader(): Record<string, string> {
  return { "x-csrf-token": csrfToken };
}

/**
 * The query a route declares: the server refuses an undeclared key (ADR 0010), so a key the route
 * does not know is a type error here rather than a 400 in use.
 */
type QueryOf<R extends RouteContract> = {
  [K in keyof z.input<R["query"]>]?: string | number | undefined;
};

export interface CallInput<R extends RouteContract = RouteContract> {
  params?: Record<string, string | number>;
  query?: QueryOf<R>;
  body?: unknown;
}

/** The address of a route with its parameters and query (empty values left out): also for download links. */
export function routeUrl<R extends RouteContract>(route: R, input: Omit<CallInput<R>, "body"> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  return fillPath(route.path, input.params ?? {}) + (search.size > 0 ? `?${search}` : "");
}

/** Calls a route of src/common/*.routes.ts; the result is typed by the route's response schema. */
export async function call<R extends RouteContract>(
  route: R,
  input: CallInput<R> = {},
): Promise<z.infer<R["response"]>> {
  const isRead = route.method === "GET";
  const payload = await send(
    routeUrl(route, input),
    () => ({
      method: route.method,
      credentials: "same-origin",
      headers: isRead ? undefined : { "content-type": "application/json", "x-csrf-token": csrfToken },
      body: isRead ? undefined : JSON.stringify(input.body ?? {}),
    }),
    "Le serveur ne répond pas. Réessayez plus tard.",
  );
  return payload as z.infer<R["response"]>;
}

/**
 * Downloads the file a route answers (a report, an export) and saves it under the name the server
 * gives. A refusal or a failure is an `ApiError` in French, as for `call` (a 401 opens the session
 * dialog), rather than a failed download in the browser's bar with no word of why.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const response = await fetchFile(url);
  saveFile(await response.blob(), response.headers.get("content-disposition"), fallbackName);
}

/**
 * The answer of a route that prepares a file, or the error a page says in French: no answer or a
 * proxy's page (« momentanément indisponible »), a refusal, an expired session (told to the listeners).
 */
export async function fetchFile(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin" });
  } catch {
    throw noAnswer();
  }
  if (!response.ok) {
    const payload: unknown = await response.json().catch(() => ({}));
    if (proxyPage(response.status, payload)) throw noAnswer(response.status);
    const error = errorOf(response, payload, "Le fichier n'a pas pu être préparé. Réessayez plus tard.");
    if (error.body.code === UNAUTHENTICATED) tellExpiry();
    throw error;
  }
  return response;
}

/** Saves a prepared file under the server's name (`fileNameOf`). */
export function saveFile(blob: Blob, contentDisposition: string | null, fallbackName: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileNameOf(contentDisposition, fallbackName);
  link.click();
  URL.revokeObjectURL(link.href);
}

/**
 * The name a file is saved under: the server's `filename*` (UTF-8, accents kept), else its plain
 * `filename` (ASCII), else the page's own.
 */
export function fileNameOf(contentDisposition: string | null, fallbackName: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(contentDisposition ?? "")?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // A malformed name: the plain one below.
    }
  }
  return /filename="([^"]+)"/.exec(contentDisposition ?? "")?.[1] ?? fallbackName;
}

/** Sends a file (multipart, field "file") to a route that takes one; typed like `call`. */
export async function upload<R extends RouteContract>(
  route: R,
  input: Omit<CallInput<R>, "body"> & { file: File },
): Promise<z.infer<R["response"]>> {
  const form = new FormData();
  form.append("file", input.file, input.file.name);
  const payload = await send(
    routeUrl(route, input),
    () => ({
      method: route.method,
      credentials: "same-origin",
      headers: { "x-csrf-token": csrfToken },
      body: form,
    }),
    "Le serveur ne répond pas. Réessayez plus tard.",
  ).catch((error: unknown) => {
    // A file refused for its size by the server's body limit: no catalogue body to say so.
    if (error instanceof ApiError && error.status === 413 && error.body.code === "request.internal")
      throw new ApiError(413, {
        ...error.body,
        message: "Le fichier dépasse 10 Mo : choisissez un fichier plus léger.",
      });
    throw error;
  });
  return payload as z.infer<R["response"]>;
}
