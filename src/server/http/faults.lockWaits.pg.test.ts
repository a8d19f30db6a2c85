import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { user } from "../db/schema";
import { createSession } from "../domains/identity/store";
import { type RunningServer, startServer } from "../main";
import { appDatabaseUrl, templateDatabaseName, withDatabase } from "../testing/constants";

/**
 * Fault review (2026-12-03): a table held by another session (an `ALTER TABLE`, a `VACUUM FULL`, a
 * forgotten `LOCK TABLE`) for 30 s while a dozen agents opened their agenda. Each read waited for
 * the lock as long as a statement may run (10 s), holding one of the instance's 10 pooled
 * connections; every other request of that instance — the session read of every page included —
 * then gave up waiting for a connection (5 s) and answered 503: the whole instance was
 * « momentanément indisponible », not only the agenda. Lock waits are now shorter than the wait for
 * a connection (`DB_LOCK_TIMEOUT_MS`, 3 s by default): the requests stuck on the lock give their
 * connections back before the others give up.
 */
const adminUrl = process.env.TEST_DATABASE_URL ?? "";
const name = `passerelle_locks_${randomBytes(4).toString("hex")}`;
// Scaled down from the defaults (10 s, 5 s, 3 s): statements may run long, a connection is waited
// for a while, a lock a shorter while.
const STATEMENT_TIMEOUT_MS = 6000;
const CONNECT_TIMEOUT_MS = 2000;
const LOCK_TIMEOUT_MS = 1000;

let server: RunningServer;
let base: string;
let headers: Record<string, string>;

beforeAll(async () => {
  const creator = new pg.Client({ connectionString: adminUrl });
  await creator.connect();
  await creator.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName(adminUrl)}"`);
  await creator.end();
  server = await startServer({
    DATABASE_URL: appDatabaseUrl(adminUrl, name),
    MIGRATION_DATABASE_URL: withDatabase(adminUrl, name),
    PORT: "0",
    DEMO_DATA: "no",
    LOG_LEVEL: "silent",
    OUTBOX_POLL_SECONDS: "0",
    JOBS_POLL_SECONDS: "0",
    DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    DB_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS),
    REQUEST_TIMEOUT_MS: "10000",
  });
  base = server.url;
  const db = server.db.db;
  const [cpip] = await db.select({ id: user.id }).from(user).where(eq(user.email, "cpip@demo.passerelle.fr"));
  if (!cpip) throw new Error("demo data missing");
  const { token } = await createSession(db, {
    userId: cpip.id,
    stage: "active",
    now: new Date(),
    absoluteHours: 12,
    ip: "127.0.0.1",
    userAgent: "test",
  });
  headers = { cookie: `passerelle_session=${token}` };
}, 60_000);

afterAll(async () => {
  await server?.close();
  const cleaner = new pg.Client({ connectionString: adminUrl });
  await cleaner.connect();
  await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await cleaner.end();
});

async function get(path: string): Promise<{ status: number; code: string | undefined; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${base}${path}`, { headers });
  const body = (await response.json().catch(() => ({}))) as { code?: string };
  return { status: response.status, code: body.code, ms: Date.now() - started };
}

describe("a table locked by another session while agents keep reading it", () => {
  it("the reads of that table answer 503 after the lock timeout; the other pages keep working", async () => {
    const locker = new pg.Client({ connectionString: withDatabase(adminUrl, name) });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE person IN ACCESS EXCLUSIVE MODE");
      // More readers of the locked table than the pool has connections (10).
      const stuck = Array.from({ length: 12 }, () => get("/api/people"));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Meanwhile another agent's pages: the session read every page makes, which never touches `person`.
      const session = await get("/api/auth/session");
      expect(session.status).toBe(200);
      expect(session.ms).toBeLessThan(CONNECT_TIMEOUT_MS);
      const reads = await Promise.all(stuck);
      for (const read of reads) {
        expect(read).toMatchObject({ status: 503, code: "service.unavailable" });
        expect(read.ms).toBeLessThan(LOCK_TIMEOUT_MS + CONNECT_TIMEOUT_MS + 1000);
      }
      await locker.query("ROLLBACK");
    } finally {
      await locker.end();
    }
    expect((await get("/api/people")).status).toBe(200);
  }, 30_000);
});
