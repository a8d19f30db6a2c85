import { rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notification, serverInstance, structure } from "./db/schema";
import { startSmtpSink } from "./testing/smtpSink";
import {
  buildServerForTest,
  type ServerDatabase,
  serverDatabase,
  spawnServer,
} from "./testing/spawnedServer";

// ADR 0004, addendum 2026-12-04 (evening): on PGlite the data directory is one process's, so a
// server restarted after a kill -9 takes back the claims its predecessor left, at once. Addendum
// 2026-12-05: on PostgreSQL (project "postgres") the killed server's heartbeat stops, and the new
// one ends its claims once it is silent for longer than the grace (3 s here, 30 s by default).
const onPg = process.env.TEST_DB_DRIVER === "pg" && Boolean(process.env.TEST_DATABASE_URL);
const RECIPIENT = "agent-relance@example.fr";

const serverEnv = (smtpUrl: string) => ({
  NODE_ENV: "production",
  PUBLIC_URL: "https://passerelle.example.fr",
  DEMO_DATA: "yes",
  DOCUMENT_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
  SMTP_URL: smtpUrl,
  OUTBOX_POLL_SECONDS: "1",
  JOBS_POLL_SECONDS: "0",
  ...(onPg ? { INSTANCE_GRACE_SECONDS: "3" } : {}),
});

async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const since = Date.now(); !condition() && Date.now() - since < ms; )
    await new Promise((resolve) => setTimeout(resolve, 50));
}

describe(`a server killed mid-send and restarted on ${onPg ? "PostgreSQL" : "its embedded database"}`, () => {
  let build: { mainJs: string; root: string };
  let database: ServerDatabase;
  let id: string;
  beforeAll(async () => {
    build = await buildServerForTest();
    database = await serverDatabase(onPg ? "pg" : "pglite");
    const db = await database.open();
    const [anyStructure] = await db.db.select({ id: structure.id }).from(structure).limit(1);
    const [row] = await db.db
      .insert(notification)
      .values({
        structureId: anyStructure!.id,
        kind: "failure_alert",
        channel: "email",
        recipient: RECIPIENT,
        subject: "Essai",
        body: "Message d'essai",
        notBefore: new Date(),
      })
      .returning({ id: notification.id });
    id = row!.id;
    await db.close();
  });
  afterAll(async () => {
    await database?.drop();
    if (build) rmSync(build.root, { recursive: true, force: true });
  });

  it("sends the interrupted e-mail once, seconds after the restart, not after the 5-minute lease", {
    timeout: 120_000,
  }, async () => {
    // A relay that accepts the connection and never greets: the e-mail stays claimed, mid-send.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const first = await spawnServer(build.mainJs, {
      ...database.env,
      ...serverEnv(`smtp://127.0.0.1:${silentPort}`),
    });
    await until(() => sockets.length > 0, 30_000);
    expect(sockets.length).toBeGreaterThan(0);
    first.child.kill("SIGKILL");
    await first.exited;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));

    const sink = await startSmtpSink();
    const restartedAt = Date.now();
    const second = await spawnServer(build.mainJs, { ...database.env, ...serverEnv(sink.url) });
    await until(() => sink.mails.some((mail) => mail.to === RECIPIENT), 60_000);
    const waited = Date.now() - restartedAt;
    // A few more passes: it must not come twice.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    await sink.close();

    expect(sink.mails.filter((mail) => mail.to === RECIPIENT)).toHaveLength(1);
    expect(waited).toBeLessThan(30_000);
    const db = await database.open();
    try {
      const [row] = await db.db.select().from(notification).where(eq(notification.id, id));
      expect(row).toMatchObject({ status: "sent", attempts: 2 });
      // The stopped server deleted its instance row; the killed one's is left (deleted after a day).
      expect(await db.db.select().from(serverInstance)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
