import { and, eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, session, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { hashToken, newRecoveryCodes, normalizeRecoveryCode } from "../domains/identity/rules";
import { SECOND_FACTOR_RETRY_SECONDS } from "../domains/identity/secondFactorRetry";
import { newTotpSecret, totpCode } from "../domains/identity/totp";
import { anAgent } from "../testing/builders";
import { COOKIE_NAME, PUBLIC_URL, sessionCookieOf, startTestApp, type TestApp } from "../testing/testApp";
import { cookieSettings } from "./security";

/**
 * A second factor's answer lost on its way (ADR 0036, addendum 2026-12-06): the same code sent
 * again with the same pending cookie, within a short window, is answered as the first time.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DEVICE_COOKIE = cookieSettings(PUBLIC_URL).deviceName;

/** An agent with a TOTP second factor (and recovery codes). */
async function agentWithTotp() {
  const secret = newTotpSecret();
  const recoveryCodes = newRecoveryCodes();
  const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
  await t.handle.db
    .update(user)
    .set({
      totpSecret: secret,
      recoveryCodeHashes: recoveryCodes.map((c) => hashToken(normalizeRecoveryCode(c))),
    })
    .where(eq(user.id, agent.id));
  // A code works once: each test starts in a time step of its own.
  t.clock.advance(60_000);
  return { ...agent, secret, recoveryCodes };
}

/** The password step, from one browser: its pending cookie and CSRF token, and a way to send a code. */
async function pendingBrowser(email: string, ip = "10.40.0.1") {
  const pending = await t.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { email, password: DEMO_PASSWORD },
    remoteAddress: ip,
  });
  expect(pending.json()).toEqual({ stage: "totp_pending" });
  const cookie = sessionCookieOf(pending);
  const csrf = (await read(cookie)).csrfToken as string;
  return {
    cookie,
    send: (code: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/auth/second-factor",
        headers: { cookie, "x-csrf-token": csrf },
        payload: { code },
        remoteAddress: ip,
      }),
  };
}

const read = async (cookie: string) =>
  (await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } })).json();

const cookieValue = (response: LightMyRequestResponse, name: string) =>
  response.cookies.find((c) => c.name === name)?.value;

const sessionsOf = (userId: string) =>
  t.handle.db
    .select({ stage: session.stage, promotedTo: session.promotedTo, sealed: session.promotedTokens })
    .from(session)
    .where(eq(session.userId, userId));

const secondFactorJournal = (userId: string) =>
  t.handle.db
    .select({ outcome: auditEvent.outcome, reason: auditEvent.reason })
    .from(auditEvent)
    .where(and(eq(auditEvent.action, "auth.second_factor"), eq(auditEvent.actorUserId, userId)));

const loginJournal = (userId: string) =>
  t.handle.db
    .select({ reason: auditEvent.reason })
    .from(auditEvent)
    .where(and(eq(auditEvent.action, "auth.login"), eq(auditEvent.targetId, userId)));

describe("the second factor's answer lost, the same code sent again", () => {
  it("answers the same full session and device cookie, one session and one login in the journal", async () => {
    const agent = await agentWithTotp();
    const browser = await pendingBrowser(agent.email);
    const code = totpCode(agent.secret, t.clock.now());
    const first = await browser.send(code);
    expect(first.statusCode).toBe(200);
    // The answer is lost: the browser still holds the pending cookie, and sends the code again.
    t.clock.advance(30_000);
    const again = await browser.send(code);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ stage: "active" });
    expect(cookieValue(again, COOKIE_NAME)).toBe(cookieValue(first, COOKIE_NAME));
    expect(cookieValue(again, DEVICE_COOKIE)).toBe(cookieValue(first, DEVICE_COOKIE));
    expect((await read(sessionCookieOf(again))).stage).toBe("active");

    const rows = await sessionsOf(agent.id);
    expect(rows.filter((r) => r.stage === "active")).toHaveLength(1);
    // The kept pending row holds hashes and a sealed box, never the full session's token.
    const kept = rows.find((r) => r.promotedTo !== null);
    expect(kept?.promotedTo).toBe(hashToken(cookieValue(first, COOKIE_NAME) ?? ""));
    expect(kept?.sealed).not.toContain(cookieValue(first, COOKIE_NAME));
    expect(await secondFactorJournal(agent.id)).toEqual([{ outcome: "success", reason: "totp" }]);
    expect(await loginJournal(agent.id)).toHaveLength(1);
  });

  it("answers a recovery code sent again, which stays consumed for any other session", async () => {
    const agent = await agentWithTotp();
    const browser = await pendingBrowser(agent.email);
    const recovery = agent.recoveryCodes[0] ?? "";
    const first = await browser.send(recovery);
    expect(first.statusCode).toBe(200);
    const again = await browser.send(recovery.toLowerCase());
    expect(again.statusCode).toBe(200);
    expect(cookieValue(again, COOKIE_NAME)).toBe(cookieValue(first, COOKIE_NAME));
    expect((await read(sessionCookieOf(again))).recoveryCodesLeft).toBe(9);

    const other = await pendingBrowser(agent.email, "10.40.0.2");
    expect((await other.send(recovery)).json().code).toBe("auth.invalidTotp");
    expect(await secondFactorJournal(agent.id)).toEqual([
      { outcome: "success", reason: "recovery_code" },
      { outcome: "failure", reason: "" },
    ]);
  });

  it("sent twice at once: both answered with the one session", async () => {
    const agent = await agentWithTotp();
    const browser = await pendingBrowser(agent.email);
    const code = totpCode(agent.secret, t.clock.now());
    const [a, b] = await Promise.all([browser.send(code), browser.send(code)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(cookieValue(a, COOKIE_NAME)).toBe(cookieValue(b, COOKIE_NAME));
    expect((await sessionsOf(agent.id)).filter((r) => r.stage === "active")).toHaveLength(1);
    expect(await secondFactorJournal(agent.id)).toEqual([{ outcome: "success", reason: "totp" }]);
  });

  it("with the pending session read meanwhile, it is still the code step", async () => {
    const agent = await agentWithTotp();
    const browser = await pendingBrowser(agent.email);
    const code = totpCode(agent.secret, t.clock.now());
    expect((await browser.send(code)).statusCode).toBe(200);
    expect((await read(browser.cookie)).stage).toBe("totp_pending");
    expect((await browser.send(code)).statusCode).toBe(200);
  });
});

describe("what the way back never opens", () => {
  it("another code, even the next valid one: 401 as before, and the way back is closed", async () => {
    const agent = await agentWithTotp();
    const browser = await pendingBrowser(agent.email);
    const code = totpCode(agent.secret, t.clock.now());
    const first = await browser.send(code);
    expect(first.statusCode).toBe(200);
    t.clock.advance(30_000);
    const next = await browser.send(totpCode(agent.secret, t.clock.now()));
    expect(next.statusCode).toBe(401);
    expect(next.json().code).toBe("auth.unauthenticated");
    expect(cookieValue(next, COOKIE_NAME)).toBeFalsy();
    // Closed: the right code no longer opens it either.
    expect((await browser.send(code)).statusCode).toBe(401);
    expect((await sessionsOf(agent.id)).map((r) => r.stage)).toEqual(["active"]);
    // The full session itself goes on (its answer may have arrived after all).
    expect((await read(sessionCookieOf(first))).stage).toBe("active");
    expect(await secondFactorJournal(agent.id)).toEqual([
      { outcome: "success", reason: "totp" },
      { outcome: "failure", reason: "" },
    ]);
  });

  it("another browser's pending cookie with the same code: refused, the code was consumed", async () => {
    const agent = await agentWithTotp();
    const mine = await pendingBrowser(agent.email, "10.40.0.3");
    const theirs = await pendingBrowser(agent.email, "10.40.0.4");
    const code = totpCode(agent.secret, t.clock.now());
    const first = await mine.send(code);
    expect(first.statusCode).toBe(200);
    const ride = await theirs.send(code);
    expect(ride.statusCode).toBe(401);
    expect(ride.json().code).toBe("auth.invalidTotp");
    expect(cookieValue(ride, COOKIE_NAME)).toBeUndefined();
    expect((await read(theirs.cookie)).stage).toBe("totp_pending");
    expect((await sessionsOf(agent.id)).filter((r) => r.stage === "active")).toHaveLength(1);
    // Mine still gets its own session back.
    expect(cookieValue(await mine.send(code), COOKIE_NAME)).toBe(cookieValue(first, COOKIE_NAME));
  });

  it("after the window: 401, the pending session is gone", async () => {
    const agent = await agentWithTotp();
    const browser = await pendingBrowser(agent.email);
    const code = totpCode(agent.secret, t.clock.now());
    expect((await browser.send(code)).statusCode).toBe(200);
    t.clock.advance(SECOND_FACTOR_RETRY_SECONDS * 1000 - 1_000);
    expect((await browser.send(code)).statusCode).toBe(200);
    t.clock.advance(2_000);
    const late = await browser.send(code);
    expect(late.statusCode).toBe(401);
    expect(late.json().code).toBe("auth.unauthenticated");
    expect((await sessionsOf(agent.id)).map((r) => r.stage)).toEqual(["active"]);
  });

  it("after the full session was logged out: 401, nothing reopens", async () => {
    const agent = await agentWithTotp();
    const browser = await pendingBrowser(agent.email);
    const code = totpCode(agent.secret, t.clock.now());
    const first = await browser.send(code);
    const active = sessionCookieOf(first);
    const logout = await t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: active, "x-csrf-token": (await read(active)).csrfToken },
      payload: {},
    });
    expect(logout.statusCode).toBe(200);
    expect(await sessionsOf(agent.id)).toEqual([]);
    const again = await browser.send(code);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe("auth.unauthenticated");
    expect(await sessionsOf(agent.id)).toEqual([]);
  });

  it("a wrong code on a pending session not promoted is still a wrong code", async () => {
    const agent = await agentWithTotp();
    const browser = await pendingBrowser(agent.email);
    const wrong = await browser.send("000000");
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe("auth.invalidTotp");
    expect((await browser.send(totpCode(agent.secret, t.clock.now()))).statusCode).toBe(200);
  });
});
