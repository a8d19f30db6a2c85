import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineRoute, okSchema } from "../../common/contract";
import type { Db } from "../db/createDb";
import { auditEvent, session } from "../db/schema";
import { pendingRevocations } from "../domains/identity/revocations";
import { hashToken } from "../domains/identity/rules";
import { COOKIE_NAME, demo, PUBLIC_URL, startTestApp, type TestApp } from "../testing/testApp";
import { buildApp } from "./app";
import { mount } from "./mount";

/**
 * Point 9 on both databases: a database that cannot answer is a 503 with a request id, never a
 * 401 that logs the agent out; a request that takes too long is a 503 too. (The real faults,
 * terminated connections and locked tables, are in faults.pg.test.ts.)
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The database as during a restart: every read fails as node-postgres reports a dropped connection. */
function droppedConnection(db: Db): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === "select") {
        return () => {
          throw new Error("Failed query", { cause: new Error("Connection terminated unexpectedly") });
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

describe("a session that cannot be checked", () => {
  it("answers 503 service.unavailable with a request id and keeps the cookie; an unknown session reads as signed out and is cleared", async () => {
    const headers = await t.sessionFor(demo.counselor);
    const down = await buildApp({
      deps: { ...t.deps, db: droppedConnection(t.deps.db) },
      publicUrl: PUBLIC_URL,
    });
    const during = await down.inject({ method: "GET", url: "/api/auth/session", headers });
    expect(during.statusCode).toBe(503);
    expect(during.json()).toMatchObject({
      code: "service.unavailable",
      message: "Service momentanément indisponible, réessayez dans un instant.",
    });
    expect(during.json().requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(during.headers["set-cookie"]).toBeUndefined();
    await down.close();

    const after = await t.app.inject({ method: "GET", url: "/api/auth/session", headers });
    expect(after.statusCode).toBe(200);

    const unknown = await t.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { cookie: `${COOKIE_NAME}=not-a-session` },
    });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ authenticated: false });
    expect(String(unknown.headers["set-cookie"])).toContain(`${COOKIE_NAME}=;`);
  });
});

/** A database that fails every statement while `down.now` is true, as during a restart. */
function switchableDb(db: Db): { db: Db; down: { now: boolean } } {
  const down = { now: true };
  const failing = () => {
    throw new Error("Failed query", { cause: new Error("Connection terminated unexpectedly") });
  };
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      if (
        down.now &&
        ["select", "insert", "update", "delete", "transaction", "execute"].includes(String(property))
      )
        return failing;
      return Reflect.get(target, property, receiver);
    },
  });
  return { db: proxy, down };
}

const tokenOf = (headers: { cookie: string }): string => headers.cookie.split("=")[1] ?? "";

describe("a logout while the database is down", () => {
  it("still clears the session cookie, and that token stays signed out once the database is back", async () => {
    const headers = await t.sessionFor(demo.counselor);
    const broken = switchableDb(t.deps.db);
    const app = await buildApp({ deps: { ...t.deps, db: broken.db }, publicUrl: PUBLIC_URL });
    const logout = await app.inject({ method: "POST", url: "/api/auth/logout", headers, payload: {} });
    expect(logout.statusCode).toBe(503);
    expect(logout.json().code).toBe("service.unavailable");
    expect(String(logout.headers["set-cookie"])).toContain(`${COOKIE_NAME}=;`);
    // A copy of the token sent again, during the outage or after it but before the row is
    // deleted: signed out, without asking the database.
    for (const state of [true, false]) {
      broken.down.now = state;
      const replay = await app.inject({ method: "GET", url: "/api/auth/session", headers });
      expect(replay.json()).toEqual({ authenticated: false });
      expect(String(replay.headers["set-cookie"])).toContain(`${COOKIE_NAME}=;`);
    }
    // Another agent's session during an outage is still answered 503, cookie kept.
    broken.down.now = true;
    const other = await app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: await t.sessionFor(demo.cpip),
    });
    expect(other.statusCode).toBe(503);
    expect(other.headers["set-cookie"]).toBeUndefined();
    await app.close();
  });

  it("deletes the remembered session and journals the logout when the database answers again", async () => {
    const headers = await t.sessionFor(demo.counselor);
    const tokenHash = hashToken(tokenOf(headers));
    const broken = switchableDb(t.deps.db);
    const revocations = pendingRevocations({ ...t.deps, db: broken.db }, 0);
    revocations.remember(tokenHash, {
      requestId: "00000000-0000-4000-8000-00000000abcd",
      ip: "127.0.0.1",
      userAgent: "",
    });
    await revocations.retry();
    expect(revocations.has(tokenHash)).toBe(true);

    broken.down.now = false;
    await revocations.retry();
    expect(revocations.has(tokenHash)).toBe(false);
    expect(await t.deps.db.select().from(session).where(eq(session.tokenHash, tokenHash))).toEqual([]);
    const [row] = await t.deps.db
      .select({ action: auditEvent.action, reason: auditEvent.reason })
      .from(auditEvent)
      .where(eq(auditEvent.requestId, "00000000-0000-4000-8000-00000000abcd"));
    expect(row).toEqual({ action: "auth.logout", reason: "deferred" });
    expect((await t.app.inject({ method: "GET", url: "/api/auth/session", headers })).json()).toEqual({
      authenticated: false,
    });
  });

  it("a logout whose own statement fails clears the cookie too", async () => {
    const headers = await t.sessionFor(demo.counselor);
    // The session is read fine, then the logout's transaction fails.
    const failingWrites = new Proxy(t.deps.db, {
      get(target, property, receiver) {
        if (property === "transaction")
          return () => {
            throw new Error("Failed query", { cause: new Error("Connection terminated unexpectedly") });
          };
        return Reflect.get(target, property, receiver);
      },
    });
    const app = await buildApp({ deps: { ...t.deps, db: failingWrites }, publicUrl: PUBLIC_URL });
    const logout = await app.inject({ method: "POST", url: "/api/auth/logout", headers, payload: {} });
    expect(logout.statusCode).toBe(503);
    expect(String(logout.headers["set-cookie"])).toContain(`${COOKIE_NAME}=;`);
    expect((await app.inject({ method: "GET", url: "/api/auth/session", headers })).json()).toEqual({
      authenticated: false,
    });
    await app.close();
  });
});

describe("the request timeout", () => {
  it("answers a request still running after its time with 503 and its request id; long exports get longer", async () => {
    const app = await buildApp({
      deps: t.deps,
      publicUrl: PUBLIC_URL,
      timeouts: { requestMs: 200, exportMs: 1500 },
    });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const slowRoute = (path: string, longExport: boolean) =>
      mount(
        app,
        t.deps,
        defineRoute({
          method: "GET",
          path,
          summary: "lent",
          access: "public",
          response: okSchema,
          longExport,
        }),
        async () => {
          await sleep(800);
          return { ok: true as const };
        },
      );
    slowRoute("/api/slow", false);
    // The contract decides, not the path: a path ending in /export is not a long export by itself.
    slowRoute("/api/slow/export", false);
    slowRoute("/api/slow/file", true);
    const started = Date.now();
    const slow = await app.inject({ method: "GET", url: "/api/slow" });
    expect(slow.statusCode).toBe(503);
    expect(slow.json().code).toBe("service.unavailable");
    expect(slow.json().requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - started).toBeLessThan(700);
    expect((await app.inject({ method: "GET", url: "/api/slow/export" })).statusCode).toBe(503);
    const exported = await app.inject({ method: "GET", url: "/api/slow/file" });
    expect(exported.statusCode).toBe(200);
    await sleep(700); // let the abandoned handlers finish before closing
    await app.close();
  });
});
