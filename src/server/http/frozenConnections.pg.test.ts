import { randomBytes } from "node:crypto";
import net from "node:net";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { user } from "../db/schema";
import { createSession } from "../domains/identity/store";
import { type RunningServer, startServer } from "../main";
import { appDatabaseUrl, templateDatabaseName, withDatabase } from "../testing/constants";

/**
 * The server's PostgreSQL connections go silent without being closed (failover, network cut: the
 * old address vanishes), while new connections work. The server must not wait on them forever: the
 * requests caught answer 503, the dead connections are dropped, and it serves again on new ones
 * within seconds, without a restart (ADR 0008, addendum).
 */
const adminUrl = process.env.TEST_DATABASE_URL ?? "";
const name = `passerelle_frozen_${randomBytes(4).toString("hex")}`;
const STATEMENT_TIMEOUT_MS = 1000;

/** A TCP proxy to PostgreSQL that can freeze its open sockets: nothing passes, nothing closes. */
interface FreezingProxy {
  port: number;
  freeze(): number;
  close(): Promise<void>;
}

async function freezingProxy(target: URL): Promise<FreezingProxy> {
  const pipes = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
  // Half-open allowed: a frozen peer never answers a FIN either, as after a network cut.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({
      port: Number(target.port || 5432),
      host: target.hostname,
      allowHalfOpen: true,
    });
    const pipe = { client, upstream, frozen: false };
    pipes.add(pipe);
    client.on("data", (data) => {
      if (!pipe.frozen) upstream.write(data);
    });
    upstream.on("data", (data) => {
      if (!pipe.frozen) client.write(data);
    });
    const end = () => {
      pipes.delete(pipe);
      // A frozen peer is gone: its end is never seen by the other side.
      if (pipe.frozen) return;
      client.destroy();
      upstream.destroy();
    };
    client.on("end", () => {
      if (!pipe.frozen) upstream.end();
    });
    upstream.on("end", () => {
      if (!pipe.frozen) client.end();
    });
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => {
      for (const pipe of pipes) pipe.frozen = true;
      return pipes.size;
    },
    close: async () => {
      for (const pipe of pipes) {
        pipe.client.destroy();
        pipe.upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let proxy: FreezingProxy;
let server: RunningServer;
let headers: Record<string, string>;

beforeAll(async () => {
  const creator = new pg.Client({ connectionString: adminUrl });
  await creator.connect();
  await creator.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName(adminUrl)}"`);
  await creator.end();
  proxy = await freezingProxy(new URL(adminUrl));
  const appUrl = new URL(appDatabaseUrl(adminUrl, name));
  appUrl.hostname = "127.0.0.1";
  appUrl.port = String(proxy.port);
  server = await startServer({
    DATABASE_URL: appUrl.toString(),
    MIGRATION_DATABASE_URL: withDatabase(adminUrl, name),
    PORT: "0",
    DEMO_DATA: "no",
    LOG_LEVEL: "silent",
    OUTBOX_POLL_SECONDS: "0.2",
    DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    DB_CONNECT_TIMEOUT_MS: "2000",
    REQUEST_TIMEOUT_MS: "4000",
  });
  const db = server.db.db;
  const [cpip] = await db.select({ id: user.id }).from(user).where(eq(user.email, "cpip@demo.passerelle.fr"));
  if (!cpip) throw new Error("demo data missing");
  const { token, csrfToken } = await createSession(db, {
    userId: cpip.id,
    stage: "active",
    now: new Date(),
    absoluteHours: 12,
    ip: "127.0.0.1",
    userAgent: "test",
  });
  headers = { cookie: `passerelle_session=${token}`, "x-csrf-token": csrfToken };
}, 60_000);

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  const cleaner = new pg.Client({ connectionString: adminUrl });
  await cleaner.connect();
  await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await cleaner.end();
}, 30_000);

async function read(): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${server.url}/api/people`, { headers });
  const body = (await response.json().catch(() => ({}))) as { code?: string };
  return { status: response.status, code: body.code };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the server's connections go silent without being closed", () => {
  it("answers 503 meanwhile, then serves again on new connections within seconds", async () => {
    // A warm pool: several connections open at once.
    const warm = await Promise.all(Array.from({ length: 8 }, read));
    expect(warm.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(proxy.freeze()).toBeGreaterThan(1);

    const caught = await Promise.all(Array.from({ length: 12 }, read));
    for (const answer of caught) expect([200, 503]).toContain(answer.status);
    expect(caught.some((answer) => answer.status === 503)).toBe(true);

    // New connections pass through the proxy: the server serves again, without a restart.
    const healed = Date.now();
    let last = await read();
    while (last.status !== 200 && Date.now() - healed < 8000) {
      await pause(250);
      last = await read();
    }
    expect(last).toMatchObject({ status: 200 });
    const after = await Promise.all(Array.from({ length: 12 }, read));
    expect(after.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
  }, 60_000);

  it("stops within seconds although its idle connections are silent", async () => {
    expect((await Promise.all(Array.from({ length: 4 }, read))).map((a) => a.status)).toEqual([
      200, 200, 200, 200,
    ]);
    expect(proxy.freeze()).toBeGreaterThan(0);
    const started = Date.now();
    const closing = server;
    server = undefined as unknown as RunningServer;
    await closing.close();
    // The pool waits 2 s for a polite end, then cuts the silent sockets (about 2.5 s on an idle
    // machine, 4.8 s seen on a loaded CI). Without the cut the stop waits on them for ever (the test's
    // 30 s): the bound proves "within seconds", with room for a busy machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
