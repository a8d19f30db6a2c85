import { and, eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { auditEvent } from "../db/schema";
import { type ProConnectClient, proconnectClient } from "../domains/identity/proconnect/client";
import { type FakeProConnect, startFakeProConnect } from "./fakeProConnect";
import { COOKIE_NAME, PUBLIC_URL, startTestApp, type TestApp } from "./testApp";

export const REDIRECT_URI = `${PUBLIC_URL}/api/auth/proconnect/callback`;
export const POST_LOGOUT = `${PUBLIC_URL}/connexion`;
export const STATE_COOKIE = "passerelle_proconnect";

export interface ProConnectHarness {
  provider: FakeProConnect;
  client: ProConnectClient;
  t: TestApp;
  /** The first leg: Passerelle's redirect to the provider, and the state cookie it set. */
  start(): Promise<{ authorizationUrl: string; stateCookie: string }>;
  /** Back at Passerelle's callback with what the provider gave, in the browser that started (or none). */
  callback(callbackUrl: string, stateCookie: string | null): Promise<LightMyRequestResponse>;
  /** The whole journey of an agent who says this e-mail at the provider. */
  signIn(email: string): Promise<LightMyRequestResponse>;
  /** The one `auth.proconnect` journal row of a request. */
  proconnectEventOf(response: LightMyRequestResponse): Promise<typeof auditEvent.$inferSelect>;
  /** Refused: back to that page, no session, one denied row with that reason and no token. */
  expectRefused(response: LightMyRequestResponse, reason: string, page: string): Promise<void>;
}

/**
 * The test OpenID provider configured like ProConnect and the app using it, started before the
 * file's tests (each test starts with no tampering of the provider's tokens).
 */
export function withProConnectHarness(): ProConnectHarness {
  const h = {} as ProConnectHarness;
  beforeAll(async () => {
    h.provider = await startFakeProConnect({ redirectUri: REDIRECT_URI, postLogoutRedirectUri: POST_LOGOUT });
    h.client = proconnectClient({
      issuer: h.provider.issuer,
      clientId: h.provider.clientId,
      clientSecret: h.provider.clientSecret,
      redirectUri: REDIRECT_URI,
      postLogoutRedirectUri: POST_LOGOUT,
      acrValues: "eidas1",
    });
    h.t = await startTestApp({ proconnect: h.client });
  });
  afterAll(async () => {
    await h.t?.close();
    await h.provider?.close();
  });
  beforeEach(() => {
    h.provider.tamperNext = null;
  });
  h.start = async () => {
    const response = await h.t.app.inject({ method: "GET", url: "/api/auth/proconnect/login" });
    expect(response.statusCode).toBe(303);
    const cookie = response.cookies.find((c) => c.name === STATE_COOKIE);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    return { authorizationUrl: String(response.headers.location), stateCookie: cookie?.value ?? "" };
  };
  h.callback = (callbackUrl, stateCookie) => {
    const url = new URL(callbackUrl);
    return h.t.app.inject({
      method: "GET",
      url: `${url.pathname}${url.search}`,
      headers: stateCookie === null ? {} : { cookie: `${STATE_COOKIE}=${stateCookie}` },
    });
  };
  h.signIn = async (email) => {
    const { authorizationUrl, stateCookie } = await h.start();
    return h.callback(await h.provider.signIn(authorizationUrl, email), stateCookie);
  };
  h.proconnectEventOf = async (response) => {
    const rows = await h.t.handle.db
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
  };
  h.expectRefused = async (response, reason, page) => {
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers.location).toBe(page);
    expect(response.cookies.find((c) => c.name === COOKIE_NAME && c.value)).toBeUndefined();
    const event = await h.proconnectEventOf(response);
    expect(event.outcome).toBe("denied");
    expect(event.reason).toBe(reason);
    // Never a token in the journal.
    expect(JSON.stringify(event)).not.toMatch(/eyJ/);
  };
  return h;
}
