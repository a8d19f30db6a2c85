import type { z } from "zod";
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
/** Set from the session view; sent with every state-changing request. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The CSRF header, for a request not sent through `call` or `upload` (an upload with progress). */
export function csrfHeader(): Record<string, string> {
  return { "x-csrf-token": csrfToken };
}

export interface CallInput {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** The address of a route with its parameters and query (empty values left out): also for download links. */
export function routeUrl(route: RouteContract, input: Omit<CallInput, "body"> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  return fillPath(route.path, input.params ?? {}) + (search.size > 0 ? `?${search}` : "");
}

/** Calls a route of src/common/*.routes.ts; the result is typed by the route's response schema. */
export async function call<R extends RouteContract>(
  route: R,
  input: CallInput = {},
): Promise<z.infer<R["response"]>> {
  const url = routeUrl(route, input);
  const isRead = route.method === "GET";
  const response = await fetch(url, {
    method: route.method,
    credentials: "same-origin",
    headers: isRead ? {} : { "content-type": "application/json", "x-csrf-token": csrfToken },
    body: isRead ? undefined : JSON.stringify(input.body ?? {}),
  });
  const payload: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const body = payload as Partial<AppErrorBody>;
    throw new ApiError(response.status, {
      code: body.code ?? "request.internal",
      message: body.message ?? "Le serveur ne répond pas. Réessayez plus tard.",
      ...(body.issues ? { issues: body.issues } : {}),
      ...(body.requestId ? { requestId: body.requestId } : {}),
    });
  }
  return payload as z.infer<R["response"]>;
}

/** Sends a file (multipart, field "file") to a route that takes one; typed like `call`. */
export async function upload<R extends RouteContract>(
  route: R,
  input: Omit<CallInput, "body"> & { file: File },
): Promise<z.infer<R["response"]>> {
  const form = new FormData();
  form.append("file", input.file, input.file.name);
  const response = await fetch(routeUrl(route, input), {
    method: route.method,
    credentials: "same-origin",
    headers: { "x-csrf-token": csrfToken },
    body: form,
  });
  const payload: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const body = payload as Partial<AppErrorBody>;
    throw new ApiError(response.status, {
      code: body.code ?? "request.internal",
      message:
        body.message ??
        (response.status === 413
          ? "Le fichier dépasse 10 Mo : exportez les dossiers en plusieurs fichiers."
          : "Le serveur ne répond pas. Réessayez plus tard."),
      ...(body.issues ? { issues: body.issues } : {}),
      ...(body.requestId ? { requestId: body.requestId } : {}),
    });
  }
  return payload as z.infer<R["response"]>;
}
