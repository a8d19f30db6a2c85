import type { FastifyInstance, FastifyRequest } from "fastify";
import { authRoutes } from "../../../common/auth/auth.routes";
import type { Deps } from "../../core/deps";
import type { ProConnectClient } from "../../domains/identity/proconnect/client";
import type { PendingRevocations } from "../../domains/identity/revocations";
import { activateAccount } from "../../domains/identity/use-cases/ActivateAccount";
import { changePassword } from "../../domains/identity/use-cases/ChangePassword";
import { confirmTotpEnrolment, startTotpEnrolment } from "../../domains/identity/use-cases/EnrolTotp";
import { getSessionView } from "../../domains/identity/use-cases/GetSessionView";
import { login } from "../../domains/identity/use-cases/Login";
import { logout } from "../../domains/identity/use-cases/Logout";
import { recoverPassword } from "../../domains/identity/use-cases/RecoverPassword";
import { regenerateRecoveryCodes } from "../../domains/identity/use-cases/RegenerateRecoveryCodes";
import { requestPasswordRecovery } from "../../domains/identity/use-cases/RequestPasswordRecovery";
import { verifySecondFactor } from "../../domains/identity/use-cases/VerifySecondFactor";
import { mount } from "../mount";
import { type CookieSettings, clearSessionCookie, setDeviceCookie, setSessionCookie } from "../security";
import { proconnectLogoutUrl } from "./proconnect.router";

export function authRouter(
  app: FastifyInstance,
  deps: Deps,
  cookie: CookieSettings,
  proconnect: ProConnectClient | null,
  revocations: PendingRevocations,
): void {
  // The browser's device cookie (ADR 0002), if it has one.
  const deviceOf = (req: FastifyRequest): string | undefined => req.cookies[cookie.deviceName];

  mount(app, deps, authRoutes.login, async ({ body, req, reply, meta }) => {
    const { token, stage, deviceToken } = await login(deps, body, meta, deviceOf(req));
    setSessionCookie(reply, cookie, token);
    setDeviceCookie(reply, cookie, deviceToken);
    return { stage };
  });

  mount(app, deps, authRoutes.secondFactor, async ({ body, session, req, reply, meta }) => {
    const { token, deviceToken } = await verifySecondFactor(deps, session, body.code, meta, {
      session: req.cookies[cookie.name] ?? "",
      device: deviceOf(req),
    });
    setSessionCookie(reply, cookie, token);
    setDeviceCookie(reply, cookie, deviceToken);
    return { stage: "active" as const };
  });

  // Public: without a session it says so in a 200 (the login page's check), never a 401 (ADR 0002).
  mount(app, deps, authRoutes.session, async ({ session }) =>
    session
      ? { authenticated: true as const, ...(await getSessionView(deps, session)) }
      : { authenticated: false as const },
  );

  mount(app, deps, authRoutes.logout, async ({ session, reply, meta }) => {
    // The cookie is cleared whatever happens next: a logout the database cannot record leaves the
    // browser signed out, and its session row is deleted once the database answers (ADR 0002).
    clearSessionCookie(reply, cookie);
    const { proconnectIdToken } = await logout(deps, session, meta).catch((error: unknown) => {
      revocations.remember(session.tokenHash, meta);
      throw error;
    });
    // Signed in through ProConnect: its session ends too (end-session with id_token_hint).
    return { ok: true as const, redirectTo: await proconnectLogoutUrl(proconnect, proconnectIdToken) };
  });

  mount(app, deps, authRoutes.changePassword, async ({ body, session, meta }) => {
    await changePassword(deps, session, body, meta);
    return { ok: true as const };
  });

  mount(app, deps, authRoutes.totpSetup, ({ session }) => startTotpEnrolment(deps, session));

  mount(app, deps, authRoutes.totpConfirm, async ({ body, session, req, reply, meta }) => {
    const { recoveryCodes, newToken, deviceToken } = await confirmTotpEnrolment(deps, session, body, meta, {
      session: req.cookies[cookie.name] ?? "",
      device: deviceOf(req),
    });
    if (newToken) setSessionCookie(reply, cookie, newToken);
    setDeviceCookie(reply, cookie, deviceToken);
    return { recoveryCodes };
  });

  mount(app, deps, authRoutes.recoveryCodes, ({ body, session, meta }) =>
    regenerateRecoveryCodes(deps, session, body.proof, meta),
  );

  mount(app, deps, authRoutes.activate, async ({ body, req, reply, meta }) => {
    const { deviceToken } = await activateAccount(deps, body, meta, deviceOf(req));
    setDeviceCookie(reply, cookie, deviceToken);
    return { ok: true as const };
  });

  mount(app, deps, authRoutes.passwordRecovery, async ({ body, meta }) => {
    await requestPasswordRecovery(deps, body, meta);
    return { ok: true as const };
  });

  mount(app, deps, authRoutes.recoverPassword, async ({ body, meta }) => {
    await recoverPassword(deps, body, meta);
    return { ok: true as const };
  });
}
