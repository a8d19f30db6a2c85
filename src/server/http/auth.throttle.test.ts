import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditEvent, session, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { newTotpSecret, totpCode } from "../domains/identity/totp";
import { anAgent } from "../testing/builders";
import { demo, sessionCookieOf, startTestApp, type TestApp } from "../testing/testApp";

/** Counts what reaches the expensive or secret comparisons, without changing what they answer. */
const calls = vi.hoisted(() => ({ verifyPassword: 0, matchTotp: 0 }));
vi.mock("../domains/identity/passwords", async (importOriginal) => {
  const original = await importOriginal<typeof import("../domains/identity/passwords")>();
  return {
    ...original,
    verifyPassword: (hash: string | null, password: string) => {
      calls.verifyPassword++;
      return original.verifyPassword(hash, password);
    },
  };
});
vi.mock("../domains/identity/totp", async (importOriginal) => {
  const original = await importOriginal<typeof import("../domains/identity/totp")>();
  return {
    ...original,
    matchTotp: (...args: Parameters<typeof original.matchTotp>) => {
      calls.matchTotp++;
      return original.matchTotp(...args);
    },
  };
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => {
  calls.verifyPassword = 0;
  calls.matchTotp = 0;
});

const login = (email: string, password: string, ip: string) =>
  t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password }, remoteAddress: ip });

const loginJournal = async (email: string, reason: string) =>
  (
    await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, email), eq(auditEvent.reason, reason)))
  ).length;

describe("login throttling under concurrency", () => {
  it("of 50 concurrent wrong passwords for one account from one IP, 5 are verified", async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => login(demo.cpip, "mauvais mot de passe", "10.5.0.1")),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(calls.verifyPassword).toBe(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(calls.verifyPassword);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - calls.verifyPassword);
    const refused = responses.find((r) => r.statusCode === 429);
    expect(refused?.json().code).toBe("auth.tooManyAttempts");
    expect(refused?.headers["retry-after"]).toBe("900");
    expect(await loginJournal(demo.cpip, "bad_credentials")).toBe(calls.verifyPassword);
    expect(await loginJournal(demo.cpip, "rate_limited")).toBe(50 - calls.verifyPassword);
  });

  it("of 30 concurrent wrong TOTP codes on one pending session, 5 are compared", async () => {
    await t.handle.db.update(user).set({ totpSecret: newTotpSecret() }).where(eq(user.email, demo.manager));
    const pending = await login(demo.manager, DEMO_PASSWORD, "10.5.0.2");
    expect(pending.json()).toEqual({ stage: "totp_pending" });
    const cookie = sessionCookieOf(pending);
    const csrf = (await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } })).json()
      .csrfToken as string;
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.app.inject({
          method: "POST",
          url: "/api/auth/second-factor",
          headers: { cookie, "x-csrf-token": csrf },
          payload: { code: String(100_000 + i) },
          remoteAddress: "10.5.0.2",
        }),
      ),
    );
    expect(calls.matchTotp).toBe(5);
    expect(responses.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
    const session = await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } });
    expect(session.json()).toEqual({ authenticated: false });
  });

  it("of 35 concurrent wrong passwords from one IP for as many accounts, 30 are verified", async () => {
    const responses = await Promise.all(
      Array.from({ length: 35 }, (_, i) =>
        login(`inconnu-${i}@exemple.fr`, "mauvais mot de passe", "10.5.0.3"),
      ),
    );
    expect(calls.verifyPassword).toBe(30);
    expect(responses.filter((r) => r.statusCode === 429)).toHaveLength(5);
  });
});

describe("per-IP throttling on IPv6", () => {
  it("counts one /64 as one IP: 30 failures from 30 of its addresses lock out the 31st, not the next /64", async () => {
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(`v6-${i}@exemple.fr`, "mauvais mot de passe", `2001:db8:5:1::${(i + 1).toString(16)}`),
      ),
    );
    expect(responses.every((r) => r.statusCode === 401)).toBe(true);
    const sameNetwork = await login("v6-x@exemple.fr", "mauvais mot de passe", "2001:db8:5:1:ffff::9");
    expect(sameNetwork.statusCode).toBe(429);
    const nextNetwork = await login("v6-y@exemple.fr", "mauvais mot de passe", "2001:db8:5:2::1");
    expect(nextNetwork.statusCode).toBe(401);
    const [journaled] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.targetId, "v6-x@exemple.fr"));
    expect(journaled?.ip).toBe("2001:db8:5:1:ffff::9");
  });
});

describe("per-account slowdown across IPs", () => {
  const fromIps = (email: string, count: number, firstIp: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => login(email, "mauvais mot de passe", `10.6.${firstIp + i}.1`)),
    );

  it("past 10 failures from any IPs, an attempt must wait 1 s doubling after the latest failure", async () => {
    const responses = await fromIps(demo.counselor, 20, 0);
    expect(calls.verifyPassword).toBe(10);
    const slowed = responses.filter((r) => r.statusCode === 429);
    expect(slowed).toHaveLength(10);
    expect(slowed.every((r) => r.headers["retry-after"] === "1")).toBe(true);
    expect(slowed[0]?.json().message).toBe("Trop de tentatives de connexion. Réessayez dans 1 seconde.");
    expect(await loginJournal(demo.counselor, "slowed_down")).toBe(10);

    // Even the right password waits: it is not checked before the delay has passed.
    expect((await login(demo.counselor, DEMO_PASSWORD, "10.6.100.1")).statusCode).toBe(429);
    t.clock.advance(1_000);
    expect((await login(demo.counselor, "encore faux", "10.6.100.2")).statusCode).toBe(401);
    const next = await login(demo.counselor, DEMO_PASSWORD, "10.6.100.3");
    expect(next.statusCode).toBe(429);
    expect(next.headers["retry-after"]).toBe("2");
    t.clock.advance(2_000);
    expect((await login(demo.counselor, DEMO_PASSWORD, "10.6.100.3")).statusCode).toBe(200);
    expect(calls.verifyPassword).toBe(12);
  });

  it("does not slow down the agent at an IP they logged in from within 30 days", async () => {
    expect((await login(demo.steering, DEMO_PASSWORD, "10.7.0.1")).statusCode).toBe(200);
    t.clock.advance(20 * 86_400_000);
    await fromIps(demo.steering, 15, 200);
    expect((await login(demo.steering, "mauvais mot de passe", "10.7.0.2")).statusCode).toBe(429);
    expect((await login(demo.steering, DEMO_PASSWORD, "10.7.0.1")).statusCode).toBe(200);
  });
});

describe("second factor across sessions", () => {
  const pendingSession = async (email: string, ip: string) => {
    const pending = await login(email, DEMO_PASSWORD, ip);
    expect(pending.json()).toEqual({ stage: "totp_pending" });
    const cookie = sessionCookieOf(pending);
    const csrf = (await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } })).json()
      .csrfToken as string;
    return (code: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/auth/second-factor",
        headers: { cookie, "x-csrf-token": csrf },
        payload: { code },
        remoteAddress: ip,
      });
  };

  it("compares at most 10 wrong codes per account in 15 minutes, whatever the number of sessions", async () => {
    const secret = newTotpSecret();
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    await t.handle.db.update(user).set({ totpSecret: secret }).where(eq(user.id, agent.id));
    const statuses: number[] = [];
    for (let s = 0; s < 3; s++) {
      const send = await pendingSession(agent.email, `10.8.0.${s + 1}`);
      for (let i = 0; i < 5; i++) statuses.push((await send(String(200_000 + s * 10 + i))).statusCode);
    }
    expect(calls.matchTotp).toBe(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429, 429]);
    // Even the right code waits for the window to pass.
    const send = await pendingSession(agent.email, "10.8.0.9");
    const right = totpCode(secret, t.clock.now());
    expect((await send(right)).statusCode).toBe(429);
    expect(calls.matchTotp).toBe(10);
    t.clock.advance(16 * 60_000);
    const later = await pendingSession(agent.email, "10.8.0.9");
    expect((await later(totpCode(secret, t.clock.now()))).statusCode).toBe(200);
  });

  it("the password alone does not make an account+IP pair trusted: the second factor must pass", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    await t.handle.db.update(user).set({ totpSecret: newTotpSecret() }).where(eq(user.id, agent.id));
    await pendingSession(agent.email, "10.10.0.1");
    await Promise.all(
      Array.from({ length: 15 }, (_, i) => login(agent.email, "mauvais mot de passe", `10.10.${i + 1}.2`)),
    );
    expect((await login(agent.email, DEMO_PASSWORD, "10.10.0.1")).statusCode).toBe(429);
  });
});

describe("changing the password", () => {
  it("of 20 concurrent wrong current passwords on one session, 5 are verified, then the session is closed", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const headers = await t.sessionFor(agent.email);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({
          method: "POST",
          url: "/api/account/password",
          headers,
          payload: {
            currentPassword: `mauvais mot de passe ${i}`,
            newPassword: "une longue phrase de passe",
          },
        }),
      ),
    );
    expect(calls.verifyPassword).toBe(5);
    const codes = responses.map((r) => r.json().code as string);
    expect(codes.filter((c) => c === "auth.wrongCurrentPassword")).toHaveLength(4);
    // The others: the 5th wrong one and those past the cap, or the session already closed.
    const others = codes.filter((c) => c !== "auth.wrongCurrentPassword");
    const closing = ["auth.tooManyProofAttempts", "auth.unauthenticated"];
    expect(others.filter((c) => !closing.includes(c))).toEqual([]);
    expect(others).toContain("auth.tooManyProofAttempts");
    const refusals = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "account.password_changed"), eq(auditEvent.targetId, agent.id)));
    expect(refusals.filter((e) => e.reason === "wrong_current_password")).toHaveLength(5);
    expect(refusals.every((e) => e.outcome === "denied")).toBe(true);
    // The session is closed: even the right password is not checked any more.
    const after = await t.app.inject({ method: "GET", url: "/api/auth/session", headers });
    expect(after.json()).toEqual({ authenticated: false });
    expect(calls.verifyPassword).toBe(5);
  });

  it("the right current password does not count against the session", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const headers = await t.sessionFor(agent.email);
    const change = (currentPassword: string, newPassword: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/account/password",
        headers,
        payload: { currentPassword, newPassword },
      });
    for (let i = 0; i < 4; i++) expect((await change("mauvais mot de passe", "x")).statusCode).toBe(400);
    expect((await change(DEMO_PASSWORD, "qwerty123456")).json().code).toBe("auth.weakPassword");
    expect((await change(DEMO_PASSWORD, "une longue phrase de passe")).statusCode).toBe(200);
  });
});

describe("behind a reverse proxy (TRUST_PROXY)", () => {
  const proxy = "10.9.0.1";
  let behindProxy: TestApp;
  beforeAll(async () => {
    behindProxy = await startTestApp({ trustProxy: [proxy] });
  });
  afterAll(() => behindProxy.close());

  const viaProxy = (email: string, password: string, client: string, peer = proxy) =>
    behindProxy.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email, password },
      remoteAddress: peer,
      headers: { "x-forwarded-for": client },
    });
  const journaledIps = async (app: TestApp, email: string) =>
    (await app.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, email))).map((e) => e.ip);

  it("30 failures from one client do not lock out another client of the same proxy", async () => {
    const responses = await Promise.all(
      Array.from({ length: 31 }, (_, i) =>
        viaProxy(`inconnu-${i}@exemple.fr`, "mauvais mot de passe", "203.0.113.5"),
      ),
    );
    expect(responses.filter((r) => r.statusCode === 429)).toHaveLength(1);
    expect(await journaledIps(behindProxy, "inconnu-0@exemple.fr")).toEqual(["203.0.113.5"]);
    expect((await viaProxy(demo.cpip, DEMO_PASSWORD, "203.0.113.5")).statusCode).toBe(429);
    expect((await viaProxy(demo.cpip, DEMO_PASSWORD, "203.0.113.6")).statusCode).toBe(200);
    const [row] = await behindProxy.handle.db.select().from(session).where(eq(session.ip, "203.0.113.6"));
    expect(row).toBeDefined();
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    await viaProxy("inconnu@exemple.fr", "mauvais mot de passe", "203.0.113.7", "10.9.0.2");
    expect(await journaledIps(behindProxy, "inconnu@exemple.fr")).toEqual(["10.9.0.2"]);
    await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "autre@exemple.fr", password: "mauvais mot de passe" },
      remoteAddress: "10.5.0.9",
      headers: { "x-forwarded-for": "203.0.113.8" },
    });
    expect(await journaledIps(t, "autre@exemple.fr")).toEqual(["10.5.0.9"]);
  });
});
