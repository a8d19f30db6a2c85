import { and, eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvent, user } from "../db/schema";
import { type ProConnectClient, proconnectClient } from "../domains/identity/proconnect/client";
import { newTotpSecret, totpCode } from "../domains/identity/totp";
import { type FakeProConnect, startFakeProConnect } from "../testing/fakeProConnect";
import { COOKIE_NAME, demo, PUBLIC_URL, startTestApp, type TestApp } from "../testing/testApp";

const REDIRECT_URI = `${PUBLIC_URL}/api/auth/proconnect/callback`;
const POST_LOGOUT = `${PUBLIC_URL}/connexion`;
const STATE_COOKIE = "passerelle_proconnect";

let provider: FakeProConnect;
let client: ProConnectClient;
let t: TestApp;

beforeAll(async () => {
  provider = await startFakeProConnect({ redirectUri: REDIRECT_URI, postLogoutRedirectUri: POST_LOGOUT });
  client = proconnectClient({
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUri: REDIRECT_URI,
    postLogoutRedirectUri: POST_LOGOUT,
    acrValues: "eidas1",
  });
  t = await startTestApp({ proconnect: client });
});
afterAll(async () => {
  await t?.close();
  await provider?.close();
});
beforeEach(() => {
  provider.tamperNext = null;
});

/** The first leg: Passerelle's redirect to the provider, and the state cookie it set. */
async function start(): Promise<{ authorizationUrl: string; stateCookie: string }> {
  const response = await t.app.inject({ method: "GET", url: "/api/auth/proconnect/login" });
  expect(response.statusCode).toBe(303);
  const cookie = response.cookies.find((c) => c.name === STATE_COOKIE);
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  return { authorizationUrl: String(response.headers.location), stateCookie: cookie?.value ?? "" };
}

/** Back at Passerelle's callback with what the provider gave, in the browser that started. */
function callback(callbackUrl: string, stateCookie: string | null): Promise<LightMyRequestResponse> {
  const url = new URL(callbackUrl);
  return t.app.inject({
    method: "GET",
    url: `${url.pathname}${url.search}`,
    headers: stateCookie === null ? {} : { cookie: `${STATE_COOKIE}=${stateCookie}` },
  });
}

async function signIn(email: string): Promise<LightMyRequestResponse> {
  const { authorizationUrl, stateCookie } = await start();
  return callback(await provider.signIn(authorizationUrl, email), stateCookie);
}

async function lastProConnectEvent(response: LightMyRequestResponse) {
  const rows = await t.handle.db
    .select()
    .from(auditEvent)
    .where(
      and(
        eq(auditEvent.requestId, String(response.headers["x-request-id"])),
        eq(auditEvent.action, "auth.proconnect"),
      ),
    );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function expectRefused(response: LightMyRequestResponse, reason: string, page: string): Promise<void> {
  expect(response.statusCode, response.body).toBe(303);
  expect(response.headers.location).toBe(page);
  expect(response.cookies.find((c) => c.name === COOKIE_NAME && c.value)).toBeUndefined();
  const event = await lastProConnectEvent(response);
  expect(event.outcome).toBe("denied");
  expect(event.reason).toBe(reason);
  // Never a token in the journal.
  expect(JSON.stringify(event)).not.toMatch(/eyJ/);
}

describe("ProConnect status and first leg", () => {
  it("says ProConnect is offered, to anyone", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/auth/proconnect" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ enabled: true });
  });

  it("sends the browser to the provider with PKCE, state, nonce, scopes and acr_values", async () => {
    const { authorizationUrl, stateCookie } = await start();
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(provider.issuer);
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
    const response = await t.app.inject({
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
      proconnect: proconnectClient({ ...client.settings, issuer: closed.issuer }),
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
    provider.agents.set(demo.cpip, { email: demo.cpip.toUpperCase() });
    const response = await signIn(demo.cpip);
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers.location).toBe("/");
    const session = response.cookies.find((c) => c.name === COOKIE_NAME);
    expect(session?.value).toBeTruthy();
    expect(response.cookies.find((c) => c.name === STATE_COOKIE)?.value).toBe("");
    const event = await lastProConnectEvent(response);
    expect(event.outcome).toBe("success");
    expect(event.actorUserId).toBe(await t.userId(demo.cpip));

    const view = await t.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { cookie: `${COOKIE_NAME}=${session?.value}` },
    });
    expect(view.json().stage).toBe("active");
    const logout = await t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: `${COOKIE_NAME}=${session?.value}`, "x-csrf-token": view.json().csrfToken },
      payload: {},
    });
    const endSession = new URL(logout.json().redirectTo);
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get("id_token_hint")).toMatch(/^eyJ/);
    expect(endSession.searchParams.get("post_logout_redirect_uri")).toBe(POST_LOGOUT);
  });

  it("asks the direction for Passerelle's TOTP when ProConnect asserts no second factor, then logs out of ProConnect too", async () => {
    const secret = newTotpSecret();
    await t.handle.db.update(user).set({ totpSecret: secret }).where(eq(user.email, demo.manager));
    provider.agents.set(demo.manager, { email: demo.manager, amr: ["pwd"] });
    const response = await signIn(demo.manager);
    expect(response.headers.location).toBe("/");
    expect((await lastProConnectEvent(response)).reason).toBe("stage:totp_pending");
    const pending = `${COOKIE_NAME}=${response.cookies.find((c) => c.name === COOKIE_NAME)?.value}`;
    const view = await t.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { cookie: pending },
    });
    expect(view.json().stage).toBe("totp_pending");
    const verified = await t.app.inject({
      method: "POST",
      url: "/api/auth/second-factor",
      headers: { cookie: pending, "x-csrf-token": view.json().csrfToken },
      payload: { code: totpCode(secret, t.clock.now()) },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    // The full session that replaced the pending one still ends ProConnect's session at logout.
    const full = `${COOKIE_NAME}=${verified.cookies.find((c) => c.name === COOKIE_NAME)?.value}`;
    const csrf = (
      await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie: full } })
    ).json().csrfToken;
    const logout = await t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: full, "x-csrf-token": csrf },
      payload: {},
    });
    expect(new URL(logout.json().redirectTo).searchParams.get("id_token_hint")).toMatch(/^eyJ/);
  });

  it("asks an administrator without a second factor to enrol one, unless ProConnect asserted it", async () => {
    await t.handle.db.update(user).set({ totpSecret: null }).where(eq(user.email, demo.admin));
    provider.agents.set(demo.admin, { email: demo.admin, amr: ["pwd"] });
    expect((await lastProConnectEvent(await signIn(demo.admin))).reason).toBe("stage:enrolment_required");
    provider.agents.set(demo.admin, {
      email: demo.admin,
      amr: ["pwd"],
      acr: "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
    });
    expect((await lastProConnectEvent(await signIn(demo.admin))).reason).toBe("mfa");
  });

  it("a local login's logout has no ProConnect address", async () => {
    const headers = await t.sessionFor(demo.cpip2);
    const logout = await t.app.inject({ method: "POST", url: "/api/auth/logout", headers, payload: {} });
    expect(logout.json()).toEqual({ ok: true, redirectTo: null });
  });

  it("does not ask Passerelle's TOTP when ProConnect asserts a second factor (amr mfa)", async () => {
    provider.agents.set(demo.manager, { email: demo.manager, amr: ["pwd", "mfa"] });
    const response = await signIn(demo.manager);
    expect((await lastProConnectEvent(response)).reason).toBe("mfa");
  });
});

describe("ProConnect refusals, each journaled", () => {
  it("a callback whose state is not the browser's (or without the browser's cookie)", async () => {
    const { authorizationUrl, stateCookie } = await start();
    const callbackUrl = await provider.signIn(authorizationUrl, demo.cpip);
    await expectRefused(
      await callback(callbackUrl, `${stateCookie}x`),
      "state_mismatch",
      "/connexion/proconnect/echec",
    );
    await expectRefused(await callback(callbackUrl, null), "state_mismatch", "/connexion/proconnect/echec");
  });

  it("a replayed state: the second callback finds no login under way", async () => {
    const { authorizationUrl, stateCookie } = await start();
    const callbackUrl = await provider.signIn(authorizationUrl, demo.cpip);
    expect((await callback(callbackUrl, stateCookie)).headers.location).toBe("/");
    await expectRefused(
      await callback(callbackUrl, stateCookie),
      "state_unknown",
      "/connexion/proconnect/echec",
    );
  });

  it("a forged response (a code and state the provider never gave)", async () => {
    const forged = `${REDIRECT_URI}?code=forged-code&state=${"s".repeat(43)}&iss=${provider.issuer}`;
    await expectRefused(
      await callback(forged, "s".repeat(43)),
      "state_unknown",
      "/connexion/proconnect/echec",
    );
  });

  it("an ID token with another nonce", async () => {
    provider.tamperNext = {
      claims: (claims) => ({ ...claims, nonce: "another-nonce-0123456789012345678901" }),
    };
    await expectRefused(await signIn(demo.cpip), "nonce_mismatch", "/connexion/proconnect/echec");
  });

  it("an expired ID token", async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    provider.tamperNext = { claims: (claims) => ({ ...claims, iat: past, exp: past + 60, auth_time: past }) };
    await expectRefused(await signIn(demo.cpip), "id_token_expired", "/connexion/proconnect/echec");
  });

  it("an ID token signed with a key the provider did not publish", async () => {
    provider.tamperNext = { otherKey: true };
    await expectRefused(await signIn(demo.cpip), "id_token_signature", "/connexion/proconnect/echec");
  });

  it("an e-mail the provider says is not verified", async () => {
    provider.agents.set(demo.counselor, { email: demo.counselor, emailVerified: false });
    await expectRefused(
      await signIn(demo.counselor),
      "email_unverified",
      "/connexion/proconnect/adresse-non-verifiee",
    );
  });

  it("an e-mail without an account in Passerelle: never created on the fly", async () => {
    const email = "agent.inconnu@justice.fr";
    await expectRefused(await signIn(email), "unknown_account", "/connexion/proconnect/compte-inconnu");
    expect(await t.handle.db.select().from(user).where(eq(user.email, email))).toEqual([]);
  });

  it("a disabled account", async () => {
    await t.handle.db.update(user).set({ disabledAt: t.clock.now() }).where(eq(user.email, demo.partner));
    await expectRefused(await signIn(demo.partner), "disabled", "/connexion/proconnect/compte-desactive");
  });

  it("an error sent back by the provider", async () => {
    const { stateCookie } = await start();
    const url = `${REDIRECT_URI}?error=access_denied&state=${stateCookie}`;
    await expectRefused(await callback(url, stateCookie), "provider_error", "/connexion/proconnect/echec");
  });
});
