import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditEvent, user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { newTotpSecret } from "../domains/identity/totp";
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
  it("of 50 concurrent wrong passwords for one account from one IP, at most 5 are verified", async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => login(demo.cpip, "mauvais mot de passe", "10.5.0.1")),
    );
    const statuses = responses.map((r) => r.statusCode);
    console.info(`50 concurrent wrong passwords: ${calls.verifyPassword} verified`);
    expect(calls.verifyPassword).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(calls.verifyPassword);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - calls.verifyPassword);
    expect(await loginJournal(demo.cpip, "bad_credentials")).toBe(calls.verifyPassword);
    expect(await loginJournal(demo.cpip, "rate_limited")).toBe(50 - calls.verifyPassword);
  });

  it("of 30 concurrent wrong TOTP codes on one pending session, at most 5 are compared", async () => {
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
    console.info(
      `30 concurrent wrong TOTP codes: ${calls.matchTotp} compared`,
      responses.map((r) => r.json().code).join(","),
    );
    expect(calls.matchTotp).toBeLessThanOrEqual(5);
    expect(responses.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
  });
});
