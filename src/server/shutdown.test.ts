import { rmSync } from "node:fs";
import http from "node:http";
import { count, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notification, scheduledJob, structure } from "./db/schema";
import { closeOnSignals } from "./shutdown";
import { startSmtpSink } from "./testing/smtpSink";
import {
  buildServerForTest,
  type ServerDatabase,
  serverDatabase,
  spawnServer,
} from "./testing/spawnedServer";

interface Outcome {
  /** The client's port: the server's "incoming request" log line names it. */
  port: number;
  status?: number;
  error?: string;
}

/** One request on its own connection; never rejects. */
function request(url: string): Promise<Outcome> {
  return new Promise((resolve) => {
    let port = 0;
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ port, status: res.statusCode ?? 0 }));
      res.on("error", (error) => resolve({ port, error: error.message }));
    });
    req.on("socket", (socket) => socket.on("connect", () => (port = socket.localPort ?? 0)));
    req.on("error", (error) =>
      resolve({ port, error: (error as NodeJS.ErrnoException).code ?? error.message }),
    );
  });
}

const QUEUED = 3000;

describe("SIGTERM under load", () => {
  let build: { mainJs: string; root: string };
  let database: ServerDatabase;
  beforeAll(async () => {
    build = await buildServerForTest();
    database = await serverDatabase();
    // Messages to send, so that the worker is in the middle of a batch when the signal comes.
    const db = await database.open();
    const [anyStructure] = await db.db.select({ id: structure.id }).from(structure).limit(1);
    const now = new Date();
    await db.db.insert(notification).values(
      Array.from({ length: QUEUED }, (_, i) => ({
        structureId: anyStructure!.id,
        kind: "failure_alert" as const,
        channel: "email" as const,
        recipient: `agent-${i}@example.fr`,
        subject: "Essai",
        body: "Message d'essai",
        notBefore: now,
      })),
    );
    await db.close();
  });
  afterAll(async () => {
    await database?.drop();
    if (build) rmSync(build.root, { recursive: true, force: true });
  });

  it("answers every request received before the signal, exits 0, and leaves no claim", {
    timeout: 120_000,
  }, async () => {
    const sink = await startSmtpSink();
    const server = await spawnServer(build.mainJs, {
      ...database.env,
      NODE_ENV: "production",
      PUBLIC_URL: "https://passerelle.example.fr",
      // A copy of the demo template: a production server refuses the demo accounts unless told.
      DEMO_DATA: "yes",
      DOCUMENT_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
      SMTP_URL: sink.url,
      OUTBOX_POLL_SECONDS: "1",
      JOBS_POLL_SECONDS: "1",
    });
    const outcomes: Outcome[] = [];
    let exited = false;
    void server.exited.then(() => {
      exited = true;
    });
    const paths = ["/readyz", "/api/auth/session", "/healthz", "/"];
    const loops = Array.from({ length: 12 }, async (_, n) => {
      for (let i = n; !exited; i += 1)
        outcomes.push(await request(`${server.url}${paths[i % paths.length]}`));
    });
    // The signal comes once the server is busy on both sides (requests answered, e-mails going
    // out), however loaded the machine: a fixed delay left it idle on a slow run.
    const busySince = Date.now();
    while (
      (outcomes.filter((o) => o.status !== undefined).length < 80 || sink.mails.length === 0) &&
      Date.now() - busySince < 60_000
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    await Promise.all(loops);

    const lines = server.stdout.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
    const signalAt = lines.findIndex((line) => String(line.msg).startsWith("Arrêt demandé (SIGTERM)"));
    expect(signalAt).toBeGreaterThan(0);
    const receivedBefore = new Set(
      lines
        .slice(0, signalAt)
        .filter((line) => line.msg === "incoming request")
        .map((line) => line.req.remotePort as number),
    );
    expect(receivedBefore.size).toBeGreaterThan(50);
    const unanswered = outcomes.filter(
      (outcome) =>
        receivedBefore.has(outcome.port) && (outcome.status === undefined || outcome.status >= 500),
    );
    expect(unanswered).toEqual([]);
    // The answers sent while stopping: /readyz says unavailable, nothing else failed.
    const failedAfter = outcomes.filter(
      (o) => !receivedBefore.has(o.port) && o.status !== undefined && o.status >= 500,
    );
    expect(failedAfter.every((o) => o.status === 503)).toBe(true);

    const db = await database.open();
    try {
      const [claimed] = await db.db
        .select({ n: count() })
        .from(notification)
        .where(eq(notification.status, "sending"));
      expect(claimed?.n).toBe(0);
      const [leased] = await db.db
        .select({ n: count() })
        .from(scheduledJob)
        .where(isNotNull(scheduledJob.lockedBy));
      expect(leased?.n).toBe(0);
      const [left] = await db.db
        .select({ n: count() })
        .from(notification)
        .where(eq(notification.status, "pending"));
      // Stopped in the middle: some sent, the rest waiting for the next start, none lost.
      const byStatus = await db.db
        .select({ status: notification.status, n: count() })
        .from(notification)
        .groupBy(notification.status);
      expect(left?.n, JSON.stringify(byStatus)).toBeGreaterThan(0);
      expect(left?.n).toBeLessThan(QUEUED);
      // Every e-mail received is recorded as sent, once: the one in progress at the signal too.
      const [sent] = await db.db
        .select({ n: count() })
        .from(notification)
        .where(eq(notification.status, "sent"));
      expect(sent?.n).toBe(sink.mails.length);
      // The queued alerts, and whatever the scheduled jobs queued meanwhile (a convention's expiry).
      const [total] = await db.db.select({ n: count() }).from(notification);
      expect(total?.n).toBeGreaterThanOrEqual(QUEUED);
      expect((sent?.n ?? 0) + (left?.n ?? 0), JSON.stringify(byStatus)).toBe(total?.n);
    } finally {
      await db.close();
      await sink.close();
    }
  });
});

describe("closeOnSignals", () => {
  let clock = 0;
  const setUp = (close: () => Promise<void>, timeoutMs = 5_000) => {
    const exits: number[] = [];
    const lines: string[] = [];
    closeOnSignals(
      { close },
      {
        timeoutMs,
        log: (line) => lines.push(line),
        exit: (code) => exits.push(code),
        signals: ["SIGUSR2"],
        now: () => clock,
      },
    );
    return { exits, lines };
  };
  afterAll(() => {
    process.removeAllListeners("SIGUSR2");
  });

  it("exits 0 once closed; a second signal forces exit 1 at once", async () => {
    let finish = () => {};
    const { exits } = setUp(() => new Promise<void>((resolve) => (finish = resolve)));
    process.emit("SIGUSR2", "SIGUSR2");
    expect(exits).toEqual([]);
    clock += 1_500;
    process.emit("SIGUSR2", "SIGUSR2");
    expect(exits).toEqual([1]);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([1, 0]);
    process.removeAllListeners("SIGUSR2");
  });

  it("ignores the same stop delivered twice at once (by npm and by the process group or systemd)", async () => {
    let finish = () => {};
    const { exits, lines } = setUp(() => new Promise<void>((resolve) => (finish = resolve)));
    process.emit("SIGUSR2", "SIGUSR2");
    clock += 20;
    process.emit("SIGUSR2", "SIGUSR2");
    expect(exits).toEqual([]);
    expect(lines.at(-1)).toMatch(/reçu en double, ignoré/);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([0]);
    process.removeAllListeners("SIGUSR2");
  });

  it("exits 1 when closing takes longer than the timeout", async () => {
    const { exits, lines } = setUp(() => new Promise<void>(() => {}), 1_000);
    process.emit("SIGUSR2", "SIGUSR2");
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toMatch(/1000 ms/);
    process.removeAllListeners("SIGUSR2");
  });
});
