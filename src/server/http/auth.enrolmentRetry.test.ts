import { and, eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, session, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { hashToken, normalizeRecoveryCode } from "../domains/identity/rules";
import { SECOND_FACTOR_RETRY_SECONDS } from "../domains/identity/secondFactorRetry";
import { totpCode } from "../domains/identity/totp";
import { anAgent } from "../testing/builders";
import { COOKIE_NAME, PUBLIC_URL, sessionCookieOf, startTestApp, type TestApp } from "../testing/testApp";
import { cookieSettings } from "./security";

/**
 * A first enrolment's answer lost on its way (ADR 0036, addendum 2026-12-06): the same code sent
 * again with the same waiting cookie, within a short window, is answered as the first time — the
 * same full session, device cookie and recovery codes — through the second factor's way back.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DEVICE_COOKIE = cookieSettings(PUBLIC_URL).deviceName;

const read = async (cookie: string) =>
  (await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } })).json();

const cookieValue = (response: LightMyRequestResponse, name: string) =>
  response.cookies.find((c) => c.name === name)?.value;

/** A login from one browser, waiting for its enrolment: its cookie and a way to post with it. */
async function waitingBrowser(email: string, ip: string) {
  const first = await t.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { email, password: DEMO_PASSWORD },
    remoteAddress: ip,
  });
  expect(first.json()).toEqual({ stage: "enrolment_required" });
  const cookie = sessionCookieOf(first);
  const headers = { cookie, "x-csrf-token": (await read(cookie)).csrfToken as string };
  const post = (url: string, payload: object = {}) =>
    t.app.inject({ method: "POST", url, headers, payload, remoteAddress: ip });
  return { cookie, post, confirm: (code: string) => post("/api/account/totp/confirm", { code }) };
}

/** A direction's first login, from one browser: waiting for its enrolment, with a secret shown. */
async function enrollingBrowser(ip = "10.41.0.1") {
  const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["service_manager"] });
  // A code works once: each test starts in a time step of its own.
  t.clock.advance(60_000);
  const browser = await waitingBrowser(agent.email, ip);
  const setup = await browser.post("/api/account/totp/setup");
  expect(setup.statusCode).toBe(200);
  return { ...browser, agent, secret: setup.json().secret as string };
}

const userOf = async (userId: string) =>
  (await t.handle.db.select().from(user).where(eq(user.id, userId)))[0];

const sessionsOf = (userId: string) =>
  t.handle.db
    .select({ stage: session.stage, promotedTo: session.promotedTo, sealed: session.promotedTokens })
    .from(session)
    .where(eq(session.userId, userId));

const enrolmentJournal = (userId: string) =>
  t.handle.db
    .select({ outcome: auditEvent.outcome })
    .from(auditEvent)
    .where(and(eq(auditEvent.action, "account.totp_enabled"), eq(auditEvent.targetId, userId)));

describe("the enrolment's answer lost, the same code sent again", () => {
  it("answers the same session, device cookie and recovery codes; one session, one journal row", async () => {
    const browser = await enrollingBrowser();
    const code = totpCode(browser.secret, t.clock.now());
    const first = await browser.confirm(code);
    expect(first.statusCode).toBe(200);
    const enrolled = await userOf(browser.agent.id);

    // The answer is lost: the browser still holds the waiting cookie, and sends the code again.
    t.clock.advance(30_000);
    const again = await browser.confirm(code);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.json().recoveryCodes).toHaveLength(10);
    expect(cookieValue(again, COOKIE_NAME)).toBe(cookieValue(first, COOKIE_NAME));
    expect(cookieValue(again, DEVICE_COOKIE)).toBe(cookieValue(first, DEVICE_COOKIE));
    expect((await read(sessionCookieOf(again))).stage).toBe("active");

    // The secret and the recovery codes are those of the first answer, which still work.
    const after = await userOf(browser.agent.id);
    expect(after?.totpSecret).toBe(browser.secret);
    expect(after?.totpPendingSecret).toBeNull();
    expect(after?.recoveryCodeHashes).toEqual(enrolled?.recoveryCodeHashes);
    expect(after?.recoveryCodeHashes).toContain(
      hashToken(normalizeRecoveryCode(again.json().recoveryCodes[0])),
    );
    const rows = await sessionsOf(browser.agent.id);
    expect(rows.filter((r) => r.stage === "active")).toHaveLength(1);
    const kept = rows.find((r) => r.promotedTo !== null);
    expect(kept?.promotedTo).toBe(hashToken(cookieValue(first, COOKIE_NAME) ?? ""));
    expect(kept?.sealed).not.toContain(cookieValue(first, COOKIE_NAME));
    expect(kept?.sealed).not.toContain(first.json().recoveryCodes[0]);
    expect(await enrolmentJournal(browser.agent.id)).toEqual([{ outcome: "success" }]);
  });

  it("sent twice at once: both answered with the one session and the same recovery codes", async () => {
    const browser = await enrollingBrowser();
    const code = totpCode(browser.secret, t.clock.now());
    const [a, b] = await Promise.all([browser.confirm(code), browser.confirm(code)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json()).toEqual(b.json());
    expect(cookieValue(a, COOKIE_NAME)).toBe(cookieValue(b, COOKIE_NAME));
    expect((await sessionsOf(browser.agent.id)).filter((r) => r.stage === "active")).toHaveLength(1);
    expect(await enrolmentJournal(browser.agent.id)).toEqual([{ outcome: "success" }]);
  });

  it("read meanwhile, the waiting session is still the enrolment step", async () => {
    const browser = await enrollingBrowser();
    const code = totpCode(browser.secret, t.clock.now());
    expect((await browser.confirm(code)).statusCode).toBe(200);
    expect((await read(browser.cookie)).stage).toBe("enrolment_required");
    expect((await browser.confirm(code)).statusCode).toBe(200);
  });
});

describe("what the enrolment's way back never opens", () => {
  it("another code, even the next valid one: 401 as before, and the way back is closed", async () => {
    const browser = await enrollingBrowser();
    const code = totpCode(browser.secret, t.clock.now());
    const first = await browser.confirm(code);
    t.clock.advance(30_000);
    const next = await browser.confirm(totpCode(browser.secret, t.clock.now()));
    expect(next.statusCode).toBe(401);
    expect(next.json().code).toBe("auth.unauthenticated");
    expect(cookieValue(next, COOKIE_NAME)).toBeFalsy();
    expect((await browser.confirm(code)).statusCode).toBe(401);
    expect((await sessionsOf(browser.agent.id)).map((r) => r.stage)).toEqual(["active"]);
    expect((await read(sessionCookieOf(first))).stage).toBe("active");
    expect(await enrolmentJournal(browser.agent.id)).toEqual([{ outcome: "success" }]);
  });

  it("a new secret asked with the waiting cookie: 401, the enrolled secret unchanged", async () => {
    const browser = await enrollingBrowser();
    const code = totpCode(browser.secret, t.clock.now());
    expect((await browser.confirm(code)).statusCode).toBe(200);
    const setup = await browser.post("/api/account/totp/setup");
    expect(setup.statusCode).toBe(401);
    expect(setup.json().code).toBe("auth.unauthenticated");
    const after = await userOf(browser.agent.id);
    expect({ secret: after?.totpSecret, pending: after?.totpPendingSecret }).toEqual({
      secret: browser.secret,
      pending: null,
    });
    // Still the way back for the same code.
    expect((await browser.confirm(code)).statusCode).toBe(200);
  });

  it("another browser waiting for its enrolment, the same code: refused as before", async () => {
    const browser = await enrollingBrowser("10.41.0.3");
    const other = await waitingBrowser(browser.agent.email, "10.41.0.4");
    const code = totpCode(browser.secret, t.clock.now());
    expect((await browser.confirm(code)).statusCode).toBe(200);
    const ride = await other.confirm(code);
    expect(ride.statusCode).toBe(409);
    expect(ride.json().code).toBe("auth.totpNotStarted");
    expect(cookieValue(ride, COOKIE_NAME)).toBeUndefined();
    expect((await read(other.cookie)).stage).toBe("enrolment_required");
    // Signed in after it, another browser is asked for a code, which it cannot send again either.
    const later = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: browser.agent.email, password: DEMO_PASSWORD },
      remoteAddress: "10.41.0.5",
    });
    expect(later.json()).toEqual({ stage: "totp_pending" });
    const laterCookie = sessionCookieOf(later);
    const refused = await t.app.inject({
      method: "POST",
      url: "/api/account/totp/confirm",
      headers: { cookie: laterCookie, "x-csrf-token": (await read(laterCookie)).csrfToken },
      payload: { code },
      remoteAddress: "10.41.0.5",
    });
    expect(refused.statusCode).toBe(403);
    expect(cookieValue(refused, COOKIE_NAME)).toBeUndefined();
    expect((await sessionsOf(browser.agent.id)).filter((r) => r.stage === "active")).toHaveLength(1);
    expect(await enrolmentJournal(browser.agent.id)).toEqual([{ outcome: "success" }]);
  });

  it("after the window: 401, the waiting session is gone", async () => {
    const browser = await enrollingBrowser();
    const code = totpCode(browser.secret, t.clock.now());
    expect((await browser.confirm(code)).statusCode).toBe(200);
    t.clock.advance(SECOND_FACTOR_RETRY_SECONDS * 1000 - 1_000);
    expect((await browser.confirm(code)).statusCode).toBe(200);
    t.clock.advance(2_000);
    const late = await browser.confirm(code);
    expect(late.statusCode).toBe(401);
    expect(late.json().code).toBe("auth.unauthenticated");
    expect((await sessionsOf(browser.agent.id)).map((r) => r.stage)).toEqual(["active"]);
  });

  it("after the full session was logged out: 401, nothing reopens", async () => {
    const browser = await enrollingBrowser();
    const code = totpCode(browser.secret, t.clock.now());
    const active = sessionCookieOf(await browser.confirm(code));
    const logout = await t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: active, "x-csrf-token": (await read(active)).csrfToken },
      payload: {},
    });
    expect(logout.statusCode).toBe(200);
    const again = await browser.confirm(code);
    expect(again.statusCode).toBe(401);
    expect(await sessionsOf(browser.agent.id)).toEqual([]);
  });
});
