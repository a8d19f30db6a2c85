import type { FastifyInstance, FastifyReply } from "fastify";
import * as oidc from "openid-client";
import { authRoutes } from "../../../common/auth/auth.routes";
import { errors } from "../../../common/errors";
import type { Deps } from "../../core/deps";
import type { ProConnectClient } from "../../domains/identity/proconnect/client";
import { PROCONNECT_LOGIN_TTL_MS } from "../../domains/identity/proconnect/store";
import { completeProConnectLogin } from "../../domains/identity/use-cases/CompleteProConnectLogin";
import { startProConnectLogin } from "../../domains/identity/use-cases/StartProConnectLogin";
import { mount } from "../mount";
import { type CookieSettings, setSessionCookie } from "../security";

/** The browser's copy of the login's state: Lax, since ProConnect's redirect is a cross-site navigation. */
function stateCookieName(cookie: CookieSettings): string {
  return cookie.name.replace("passerelle_session", "passerelle_proconnect");
}

function stateCookieOptions(cookie: CookieSettings) {
  return { path: "/", httpOnly: true, secure: cookie.secure, sameSite: "lax" as const };
}

function clearStateCookie(reply: FastifyReply, cookie: CookieSettings): void {
  reply.clearCookie(stateCookieName(cookie), stateCookieOptions(cookie));
}

/** ProConnect's login (ADR 0023): public routes, 404 when ProConnect is not configured. */
export function proconnectRouter(
  app: FastifyInstance,
  deps: Deps,
  cookie: CookieSettings,
  client: ProConnectClient | null,
): void {
  const configured = (): ProConnectClient => {
    if (!client) throw errors.auth.proconnectDisabled();
    return client;
  };

  mount(app, deps, authRoutes.proconnectStatus, async () => ({ enabled: client !== null }));

  mount(app, deps, authRoutes.proconnectLogin, async ({ reply, meta }) => {
    const { state, location } = await startProConnectLogin(deps, configured(), meta);
    if (state)
      reply.setCookie(stateCookieName(cookie), state, {
        ...stateCookieOptions(cookie),
        maxAge: PROCONNECT_LOGIN_TTL_MS / 1000,
      });
    return { location };
  });

  mount(app, deps, authRoutes.proconnectCallback, async ({ req, reply, meta }) => {
    const proconnect = configured();
    const callbackUrl = new URL(proconnect.settings.redirectUri);
    callbackUrl.search = req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
    const outcome = await completeProConnectLogin(
      deps,
      proconnect,
      { callbackUrl, cookieState: req.cookies[stateCookieName(cookie)] },
      meta,
    );
    clearStateCookie(reply, cookie);
    if (outcome.kind === "signed_in") setSessionCookie(reply, cookie, outcome.token);
    return { location: outcome.location };
  });
}

/** ProConnect's logout address for a session it opened, back to Passerelle's login page. */
export async function proconnectLogoutUrl(
  client: ProConnectClient | null,
  idToken: string | null,
): Promise<string | null> {
  if (!client || !idToken) return null;
  return client.endSessionUrl({ idToken, state: oidc.randomState() });
}
