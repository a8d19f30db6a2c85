import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvent, user } from "../db/schema";
import { proconnectClient } from "../domains/identity/proconnect/client";
import { newTotpSecret, totpCode } from "../domains/identity/totp";
import { startFakeProConnect } from "../testing/fakeProConnect";
import { POST_LOGOUT, REDIRECT_URI, STATE_COOKIE, withProConnectHarness } from "../testing/proconnectHarness";
import { COOKIE_NAME, demo, startTestApp } from "../testing/testApp";

/** ProConnect's routes and successful logins; refusals: proconnect.refusals.test.ts (ADR 0023). */
const h = withProConnectHarness();

describe("ProConnect status and first leg", () => {
  it("says ProConnect is offered, to anyone", async () => {
    const response = await h.t.app.inject({ method: "GET", url: "/api/auth/proconnect" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ enabled: true });
  });

  it("sends the browser to the provider with PKCE, state, nonce, scopes and acr_values", async () => {
    const { authorizationUrl, stateCookie } = await h.start();
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(h.provider.issuer);
    expect(url.searchParams.get("scope")).toBe("openid email given_name usual_name uid siret");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("acr_values")).toBe("eidas1");
    expect(url.searchParams.get("state")).toBe(stateCookie);
    expect(stateCookie.length).toBeGreaterThanOrEqual(32);
    expect(url.searchParams.get("nonce")?.length).toBeGreaterThanOrEqual(32);
    expect(JSON.parse(url.searchParams.get("claims") ?? "{}")).toEqual({
      id_token: { amr: { essential: true } },
    });
  });

  it("400 for a malformed callback query", async () => {
    const response = await h.t.app.inject({
      method: "GET",
      url: `/api/auth/proconnect/callback?state=${"x".repeat(5000)}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("request.invalid");
  });

  it("sends the browser to a French page, journaled, when ProConnect cannot be reached", async () => {
    const closed = await startFakeProConnect({
      redirectUri: REDIRECT_URI,
      postLogoutRedirectUri: POST_LOGOUT,
    });
    await closed.close();
    const unreachable = await startTestApp({
      proconnect: proconnectClient({ ...h.client.settings, issuer: closed.issuer }),
    });
    try {
      const response = await unreachable.app.inject({ method: "GET", url: "/api/auth/proconnect/login" });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe("/connexion/proconnect/indisponible");
      expect(response.cookies.find((c) => c.name === STATE_COOKIE)).toBeUndefined();
      const [event] = await unreachable.handle.db
        .select()
        .from(auditEvent)
        .where(eq(auditEvent.requestId, String(response.headers["x-request-id"])));
      expect(event).toMatchObject({
        action: "auth.proconnect",
        outcome: "failure",
        reason: "provider_unreachable",
      });
    } finally {
      await unreachable.close();
    }
  });

  it("404 on every ProConnect route when it is not configured, and the status says so", async () => {
    const bare = await startTestApp();
    try {
      expect((await bare.app.inject({ method: "GET", url: "/api/auth/proconnect" })).json()).toEqual({
        enabled: false,
      });
      for (const url of ["/api/auth/proconnect/login", "/api/auth/proconnect/callback?code=x&state=y"]) {
        const response = await bare.app.inject({ method: "GET", url });
        expect(response.statusCode).toBe(404);
        expect(response.json().code).toBe("auth.proconnectDisabled");
      }
    } finally {
      await bare.close();
    }
  });
});

describe("ProConnect login", () => {
  it("signs a CPIP in by the verified e-mail of their account, journaled, and logs out of ProConnect too", async () => {
    h.provider.agents.set(demo.cpip, { email: demo.cpip.toUpperCase() });
    const response = await h.signIn(demo.cpip);
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers.location).toBe("/");
    const session = response.cookies.find((c) => c.name === COOKIE_NAME);
    expect(session?.value).toBeTruthy();
    expect(response.cookies.find((c) => c.name === STATE_COOKIE)?.value).toBe("");
    const event = await h.proconnectEventOf(response);
    expect(event.outcome).toBe("success");
    expect(event.actorUserId).toBe(await h.t.userId(demo.cpip));

    const view = await h.t.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { cookie: `${COOKIE_NAME}=${session?.value}` },
    });
    expect(view.json().stage).toBe("active");
    const logout = await h.t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: `${COOKIE_NAME}=${session?.value}`, "x-csrf-token": view.json().csrfToken },
      payload: {},
    });
    const endSession = new URL(logout.json().redirectTo);
    expect(endSession.origin).toBe(h.provider.issuer);
    expect(endSession.searchParams.get("id_token_hint")).toMatch(/^eyJ/);
    expect(endSession.searchParams.get("post_logout_redirect_uri")).toBe(POST_LOGOUT);
  });

  it("asks the direction for Passerelle's TOTP when ProConnect asserts no second factor, then logs out of ProConnect too", async () => {
    const secret = newTotpSecret();
    await h.t.handle.db.update(user).set({ totpSecret: secret }).where(eq(user.email, demo.manager));
    h.provider.agents.set(demo.manager, { email: demo.manager, amr: ["pwd"] });
    const response = await h.signIn(demo.manager);
    expect(response.headers.location).toBe("/");
    expect((await h.proconnectEventOf(response)).reason).toBe("code de double authentification demandé");
    const pending = `${COOKIE_NAME}=${response.cookies.find((c) => c.name === COOKIE_NAME)?.value}`;
    const view = await h.t.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { cookie: pending },
    });
    expect(view.json().stage).toBe("totp_pending");
    const verified = await h.t.app.inject({
      method: "POST",
      url: "/api/auth/second-factor",
      headers: { cookie: pending, "x-csrf-token": view.json().csrfToken },
      payload: { code: totpCode(secret, h.t.clock.now()) },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    // The full session that replaced the pending one still ends ProConnect's session at logout.
    const full = `${COOKIE_NAME}=${verified.cookies.find((c) => c.name === COOKIE_NAME)?.value}`;
    const csrf = (
      await h.t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie: full } })
    ).json().csrfToken;
    const logout = await h.t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: full, "x-csrf-token": csrf },
      payload: {},
    });
    expect(new URL(logout.json().redirectTo).searchParams.get("id_token_hint")).toMatch(/^eyJ/);
  });

  it("asks an administrator without a second factor to enrol one, unless ProConnect asserted it", async () => {
    await h.t.handle.db.update(user).set({ totpSecret: null }).where(eq(user.email, demo.admin));
    h.provider.agents.set(demo.admin, { email: demo.admin, amr: ["pwd"] });
    expect((await h.proconnectEventOf(await h.signIn(demo.admin))).reason).toBe(
      "double authentification à configurer avant d'accéder au service",
    );
    h.provider.agents.set(demo.admin, {
      email: demo.admin,
      amr: ["pwd"],
      acr: "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
    });
    expect((await h.proconnectEventOf(await h.signIn(demo.admin))).reason).toBe(
      "double authentification faite chez ProConnect",
    );
  });

  it("a local login's logout has no ProConnect address", async () => {
    const headers = await h.t.sessionFor(demo.cpip2);
    const logout = await h.t.app.inject({ method: "POST", url: "/api/auth/logout", headers, payload: {} });
    expect(logout.json()).toEqual({ ok: true, redirectTo: null });
  });

  it("does not ask Passerelle's TOTP when ProConnect asserts a second factor (amr mfa)", async () => {
    h.provider.agents.set(demo.manager, { email: demo.manager, amr: ["pwd", "mfa"] });
    const response = await h.signIn(demo.manager);
    expect((await h.proconnectEventOf(response)).reason).toBe(
      "double authentification faite chez ProConnect",
    );
  });
});
