import type { FastifyInstance, FastifyReply } from "fastify";
import { AppError, errors } from "../../common/errors";
import type { Deps } from "../core/deps";
import type { PendingRevocations } from "../domains/identity/revocations";
import { hashToken, TRUSTED_DEVICE_DAYS } from "../domains/identity/rules";
import { type AuthenticatedSession, authenticate } from "../domains/identity/use-cases/Authenticate";
import { isApiRequest } from "./apiRequest";
import { requestMeta } from "./mount";

declare module "fastify" {
  interface FastifyRequest {
    session: AuthenticatedSession | null;
  }
}

export interface CookieSettings {
  name: string;
  /** The device cookie's name (ADR 0002): a browser that completed a login. */
  deviceName: string;
  secure: boolean;
}

/** `__Host-` requires Secure: on plain-http localhost the cookie has no prefix and no Secure flag. */
export function cookieSettings(publicUrl: string): CookieSettings {
  const secure = new URL(publicUrl).protocol === "https:";
  const prefix = secure ? "__Host-" : "";
  return { name: `${prefix}passerelle_session`, deviceName: `${prefix}passerelle_device`, secure };
}

/** The device cookie outlives sessions and logouts, until it expires (TRUSTED_DEVICE_DAYS). */
export function setDeviceCookie(reply: FastifyReply, cookie: CookieSettings, token: string | null): void {
  if (!token) return;
  reply.setCookie(cookie.deviceName, token, {
    path: "/",
    httpOnly: true,
    secure: cookie.secure,
    sameSite: "strict",
    maxAge: TRUSTED_DEVICE_DAYS * 86_400,
  });
}

export function setSessionCookie(reply: FastifyReply, cookie: CookieSettings, token: string): void {
  reply.setCookie(cookie.name, token, {
    path: "/",
    httpOnly: true,
    secure: cookie.secure,
    sameSite: "strict",
  });
}

export function clearSessionCookie(reply: FastifyReply, cookie: CookieSettings): void {
  reply.clearCookie(cookie.name, { path: "/", httpOnly: true, secure: cookie.secure, sameSite: "strict" });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const LOGOUT_PATH = "/api/auth/logout";

/**
 * Resolves the session of each API request, and protects state-changing requests against CSRF:
 * the Origin (when sent) must be ours, the body must be JSON (no simple cross-site form), and a
 * request made with a session must carry that session's token in `x-csrf-token`.
 */
export function registerSessionAndCsrf(
  app: FastifyInstance,
  deps: Deps,
  cookie: CookieSettings,
  publicOrigin: string,
  revocations: PendingRevocations,
): void {
  app.decorateRequest("session", null);
  app.addHook("preHandler", async (req, reply) => {
    if (!isApiRequest(req)) return;
    const token = req.cookies[cookie.name];
    // A logout the database could not record yet: that token is signed out already.
    if (token && revocations.has(hashToken(token))) clearSessionCookie(reply, cookie);
    else if (token) {
      try {
        req.session = await authenticate(deps, token);
      } catch (error) {
        // Only a session the database says is unknown or expired is dropped; a session that cannot
        // be checked (database down or slow) is answered 503 by the error handler, cookie kept —
        // except by the logout, which always leaves the browser signed out (ADR 0002).
        if (!(error instanceof AppError && error.code === errors.auth.unauthenticated().code)) {
          if (req.method === "POST" && req.routeOptions.url === LOGOUT_PATH) {
            clearSessionCookie(reply, cookie);
            revocations.remember(hashToken(token), requestMeta(req));
          }
          throw error;
        }
        clearSessionCookie(reply, cookie);
      }
    }
    if (SAFE_METHODS.has(req.method)) return;
    const origin = req.headers.origin;
    if (origin && origin !== publicOrigin && origin !== `http://${req.headers.host}`)
      throw errors.request.csrf();
    if (req.session && req.headers["x-csrf-token"] !== req.session.csrfToken) throw errors.request.csrf();
  });
}
