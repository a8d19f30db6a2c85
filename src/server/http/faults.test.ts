import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineRoute, okSchema } from "../../common/contract";
import type { Db } from "../db/createDb";
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
  it("answers 503 service.unavailable with a request id and keeps the cookie; an unknown session is still a 401 that clears it", async () => {
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
    expect(unknown.statusCode).toBe(401);
    expect(String(unknown.headers["set-cookie"])).toContain(`${COOKIE_NAME}=;`);
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
