import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Poller } from "../core/poller";
import { createReadiness, lastMigrationMillis } from "../core/readiness";
import { startTestApp, type TestApp } from "../testing/testApp";
import { openTestDb } from "../testing/testDb";

const loop = (running: boolean): Poller => ({ stop: async () => {}, running: () => running });

describe("GET /healthz and /readyz", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("answer anyone with a status word and nothing else, never cached", async () => {
    for (const [url, status] of [
      ["/healthz", "ok"],
      ["/readyz", "ready"],
    ] as const) {
      const response = await t.app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(200);
      expect(response.json()).toEqual({ status });
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.headers["set-cookie"]).toBeUndefined();
    }
  });

  it("refuse a query string (400), as every route", async () => {
    const response = await t.app.inject({ method: "GET", url: "/readyz?verbose=1" });
    expect(response.statusCode).toBe(400);
  });

  it("readiness fails while a loop is missing or stopped, or once the server is stopping", async () => {
    const readiness = createReadiness(t.handle.db, ["worker", "scheduler"]);
    expect(await readiness.failures()).toEqual(["worker", "scheduler"]);
    readiness.attach("worker", loop(true));
    readiness.attach("scheduler", null); // turned off by the configuration: fine
    expect(await readiness.failures()).toEqual([]);
    readiness.attach("worker", loop(false));
    expect(await readiness.failures()).toEqual(["worker"]);
    readiness.attach("worker", loop(true));
    readiness.stopping();
    expect(await readiness.failures()).toEqual(["stopping"]);
  });

  it("readiness fails when a migration of this build is not applied, or the database is gone", async () => {
    expect(await createReadiness(t.handle.db, [], lastMigrationMillis()).failures()).toEqual([]);
    const newerBuild = createReadiness(t.handle.db, [], lastMigrationMillis() + 1);
    expect(await newerBuild.failures()).toEqual(["migrations"]);
    const gone = await openTestDb();
    await gone.close();
    expect(await createReadiness(gone.db).failures()).toEqual(["database"]);
  });
});
