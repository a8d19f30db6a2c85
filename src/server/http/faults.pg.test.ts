import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../core/clock";
import { withExportStatementTimeout } from "../core/longStatements";
import { structure, user } from "../db/schema";
import { createSession } from "../domains/identity/store";
import { type RunningServer, startServer } from "../main";
import { appDatabaseUrl, templateDatabaseName, withDatabase } from "../testing/constants";

/**
 * Point 9: the real server, on its own database, as the least-privilege role, while PostgreSQL
 * kills its connections or holds a lock: the process lives, the requests caught answer 503 with a
 * request id (never 401, the cookie is kept), and it serves again once the database is back.
 */
const adminUrl = process.env.TEST_DATABASE_URL ?? "";
const name = `passerelle_faults_${randomBytes(4).toString("hex")}`;
const STATEMENT_TIMEOUT_MS = 1000;

let server: RunningServer;
let base: string;
let headers: Record<string, string>;
let structureId: string;

async function admin(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, name) });
  await client.connect();
  // The test's own connections are killed too in the load phase; that is not the server's fault.
  client.on("error", () => {});
  return client;
}

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
    OUTBOX_POLL_SECONDS: "0.2",
    DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    DB_CONNECT_TIMEOUT_MS: "2000",
    REQUEST_TIMEOUT_MS: "4000",
  });
  base = server.url;
  const db = server.db.db;
  const [cpip] = await db.select({ id: user.id }).from(user).where(eq(user.email, "cpip@demo.passerelle.fr"));
  const [demo] = await db
    .select({ id: structure.id })
    .from(structure)
    .where(eq(structure.labelNumber, "FS-77-035"));
  if (!cpip || !demo) throw new Error("demo data missing");
  structureId = demo.id;
  const { token, csrfToken } = await createSession(db, {
    userId: cpip.id,
    stage: "active",
    now: new Date(),
    absoluteHours: 12,
    ip: "127.0.0.1",
    userAgent: "test",
  });
  headers = {
    cookie: `passerelle_session=${token}`,
    "x-csrf-token": csrfToken,
    "content-type": "application/json",
  };
}, 60_000);

afterAll(async () => {
  await server?.close();
  const cleaner = new pg.Client({ connectionString: adminUrl });
  await cleaner.connect();
  await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await cleaner.end();
});

interface Answer {
  status: number;
  code: string | undefined;
  requestId: string | undefined;
  setCookie: string | null;
  ms: number;
}

let created = 0;
/** Distinct names and birth dates, so that no write is a possible duplicate (409). */
const letters = (n: number): string =>
  String.fromCharCode(97 + (Math.floor(n / 676) % 26), 97 + (Math.floor(n / 26) % 26), 97 + (n % 26));
async function request(kind: "read" | "write" | "session"): Promise<Answer> {
  const started = Date.now();
  const init: RequestInit =
    kind === "write"
      ? {
          method: "POST",
          headers,
          body: JSON.stringify({
            structureId,
            firstName: "Sami",
            lastName: `Charge${letters(created)}`,
            birthDate: new Date(Date.UTC(1960, 0, 1 + created++)).toISOString().slice(0, 10),
            status: "sortant_detention",
            measure: { type: "liberation_conditionnelle", startDate: "2026-05-01", endDate: "2027-05-01" },
          }),
        }
      : { headers };
  const url = kind === "write" || kind === "read" ? "/api/people" : "/api/auth/session";
  const response = await fetch(`${base}${url}`, init);
  const body = (await response.json().catch(() => ({}))) as { code?: string; requestId?: string };
  return {
    status: response.status,
    code: body.code,
    requestId: body.requestId,
    setCookie: response.headers.get("set-cookie"),
    ms: Date.now() - started,
  };
}

/** Kills every connection to the test database but the caller's (and `spare`'s), as a restart does. */
async function terminateBackends(client: pg.Client, spare: number[] = []): Promise<number> {
  const result = await client.query(
    "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and pid <> all($2::int[])",
    [name, spare],
  );
  return result.rowCount ?? 0;
}

function expectUnavailable(answer: Answer): void {
  expect(answer).toMatchObject({ status: 503, code: "service.unavailable", setCookie: null });
  expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
}

describe("PostgreSQL terminates the server's connections", () => {
  it("the requests in flight answer 503 (cookie kept), the process lives on and serves again", async () => {
    const killer = await admin();
    const locker = await admin();
    try {
      // Requests certainly in flight: held on a lock, inside the session check and a transaction.
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE session IN ACCESS EXCLUSIVE MODE");
      const held = [request("session"), request("read"), request("write")];
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(
        await terminateBackends(killer, [(locker as unknown as { processID: number }).processID]),
      ).toBeGreaterThan(0);
      for (const answer of await Promise.all(held)) expectUnavailable(answer);
      await locker.query("ROLLBACK");

      // Under load: eight clients reading and writing while every connection is killed five times.
      const answers: Answer[] = [];
      let running = true;
      const clients = Array.from({ length: 8 }, async (_, i) => {
        while (running) answers.push(await request(i % 3 === 0 ? "write" : i % 3 === 1 ? "read" : "session"));
      });
      for (let round = 0; round < 5; round++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        await terminateBackends(killer);
      }
      running = false;
      await Promise.all(clients);
      const statuses = new Set(answers.map((a) => a.status));
      expect(
        [...statuses].every((s) => s === 200 || s === 503),
        [...statuses].join(),
      ).toBe(true);
      for (const answer of answers.filter((a) => a.status === 503)) expectUnavailable(answer);
      expect(answers.filter((a) => a.status !== 503).length).toBeGreaterThan(0);
      expect(answers.every((a) => a.setCookie === null)).toBe(true);
    } finally {
      await killer.end();
      await locker.end();
    }
    // The database is back: the same session works, reads and writes succeed.
    expect((await request("session")).status).toBe(200);
    expect((await request("read")).status).toBe(200);
    expect((await request("write")).status).toBe(200);
  }, 60_000);
});

describe("a table locked for longer than the statement timeout", () => {
  it("answers 503 with a request id in about the timeout, keeps the cookie, then serves again", async () => {
    const locker = await admin();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE person IN ACCESS EXCLUSIVE MODE");
      const read = await request("read");
      expectUnavailable(read);
      expect(read.ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 50);
      expect(read.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 2000);
      await locker.query("ROLLBACK");
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE session IN ACCESS EXCLUSIVE MODE");
      // The session cannot be checked: a 503, not a 401, and the cookie stays.
      expectUnavailable(await request("session"));
      await locker.query("ROLLBACK");
    } finally {
      await locker.end();
    }
    expect((await request("read")).status).toBe(200);
    expect((await request("session")).status).toBe(200);
  }, 30_000);
});

describe("exports", () => {
  it("may run statements longer than the pool's statement timeout, inside their own transaction only", async () => {
    const db = server.db.db;
    const slow = sql`select pg_sleep(${(STATEMENT_TIMEOUT_MS + 300) / 1000})`;
    const config = { SESSION_IDLE_MINUTES: 30, SESSION_ABSOLUTE_HOURS: 12, PUBLIC_URL: base };
    await expect(db.execute(slow)).rejects.toMatchObject({ cause: { code: "57014" } });
    await withExportStatementTimeout(
      { db, clock: systemClock, config: { ...config, EXPORT_TIMEOUT_MS: 5000 } },
      (deps) => deps.db.execute(slow),
    );
    await expect(db.execute(slow)).rejects.toMatchObject({ cause: { code: "57014" } });
  }, 20_000);
});
