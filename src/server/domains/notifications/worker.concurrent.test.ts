import { count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeClock } from "../../core/clock";
import { notification, structure } from "../../db/schema";
import { startCuttingSmtpServer, startSmtpSink } from "../../testing/smtpSink";
import { openTestDb, type TestDbHandle } from "../../testing/testDb";
import { type EmailSender, smtpEmailSender } from "./providers";
import { RECORD_MARGIN_MS } from "./record";
import { CLAIM_LEASE_MS } from "./rules";
import { runOnce, type WorkerDeps } from "./worker";

// Issue 15: a batch sent several at a time over kept SMTP connections, with the outbox's guarantees.
const NOW = new Date("2026-06-01T09:00:00Z");
const FROM = "France services <ne-pas-repondre@test.invalid>";
let handle: TestDbHandle;
let structureId: string;

beforeAll(async () => {
  handle = await openTestDb();
  const [any] = await handle.db.select({ id: structure.id }).from(structure).limit(1);
  structureId = any!.id;
});
beforeEach(() => handle.db.delete(notification));
afterAll(() => handle.close());

async function someAgentEmails(n: number): Promise<string[]> {
  const rows = await handle.db
    .insert(notification)
    .values(
      Array.from({ length: n }, (_, i) => ({
        structureId,
        kind: "agent_alert" as const,
        channel: "email" as const,
        recipient: `agent-${i}@example.fr`,
        subject: `Essai ${i}`,
        body: "Message d'essai",
        notBefore: NOW,
      })),
    )
    .returning({ id: notification.id });
  return rows.map((r) => r.id);
}

const workerWith = (email: EmailSender, concurrency: number, db = handle.db): WorkerDeps => ({
  db,
  clock: fakeClock(NOW),
  email,
  sms: { send: async () => ({ providerMessageId: null, loggedOnly: true }) },
  publicUrl: "http://localhost:3000",
  smsWebhookToken: null,
  log: () => {},
  recordRetryPausesMs: [],
  concurrency,
});

async function statuses(): Promise<Record<string, number>> {
  const rows = await handle.db
    .select({ status: notification.status, n: count() })
    .from(notification)
    .groupBy(notification.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe("sending a batch several at a time over kept SMTP connections", () => {
  it("sends each message once, over no more connections than senders, and records every one", async () => {
    const ids = await someAgentEmails(45);
    const sink = await startSmtpSink();
    const email = smtpEmailSender(sink.url, FROM, { connections: 4 });
    try {
      expect(await runOnce(workerWith(email, 4))).toBe(45);
      const messageIds = sink.mails.map((m) => m.messageId);
      expect(messageIds).toHaveLength(45);
      expect(new Set(messageIds)).toEqual(new Set(ids.map((id) => `<notification-${id}@test.invalid>`)));
      expect(sink.connections()).toBeLessThanOrEqual(4);
      expect(await statuses()).toEqual({ sent: 45 });
    } finally {
      email.close();
      await sink.close();
    }
  });

  it("two instances sending at once never send a row twice (FOR UPDATE SKIP LOCKED)", async () => {
    const ids = await someAgentEmails(60);
    const sink = await startSmtpSink();
    const second = await handle.openSecondPool();
    const first = smtpEmailSender(sink.url, FROM, { connections: 3 });
    const other = smtpEmailSender(sink.url, FROM, { connections: 3 });
    try {
      const handled = await Promise.all([
        runOnce(workerWith(first, 3)),
        runOnce(workerWith(other, 3, second.db)),
      ]);
      expect(handled[0] + handled[1]).toBe(60);
      expect(sink.mails.map((m) => m.messageId).sort()).toEqual(
        ids.map((id) => `<notification-${id}@test.invalid>`).sort(),
      );
      expect(await statuses()).toEqual({ sent: 60 });
    } finally {
      first.close();
      other.close();
      await second.close();
      await sink.close();
    }
  });

  it("a connection cut after DATA mid-batch: that message is ended uncertain, none is sent twice, the rest leave", async () => {
    const ids = await someAgentEmails(12);
    // The 5th message received is cut after its content: the server may have taken it.
    const server = await startCuttingSmtpServer(new Set([5]));
    const email = smtpEmailSender(server.url, FROM, { connections: 2 });
    try {
      await runOnce(workerWith(email, 2));
      expect(server.received).toHaveLength(12);
      const received = server.received.map((raw) => /notification-([0-9a-f-]+)@/.exec(raw)?.[1]);
      expect(new Set(received).size).toBe(12);
      const cut = received[4]!;
      const rows = await handle.db.select().from(notification).where(inArray(notification.id, ids));
      // Its end of data had left (marked first): never sent again (ADR 0004, addendum 2026-12-04).
      expect(rows.find((r) => r.id === cut)).toMatchObject({ status: "uncertain", uncertainSends: 2 });
      expect(rows.find((r) => r.id === cut)!.dataEndAt).not.toBeNull();
      expect(await statuses()).toEqual({ sent: 11, uncertain: 1 });
    } finally {
      email.close();
      await server.close();
    }
  });

  it("only the messages in a sender's hand are claimed: a server killed mid-pass leaves no more uncertain", async () => {
    await someAgentEmails(12);
    let received = 0;
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The provider holds every message, like a server killed while they are in flight.
    const email: EmailSender = {
      send: async (message) => {
        received += 1;
        await blocked;
        return { providerMessageId: message.id };
      },
      close: () => {},
    };
    const pass = runOnce(workerWith(email, 4));
    while (received < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toBe(4);
    expect(await statuses()).toEqual({ sending: 4, pending: 8 });
    release();
    expect(await pass).toBe(12);
    expect(await statuses()).toEqual({ sent: 12 });
  });

  it("a stop while sending: the messages in hand are finished and recorded, the untaken ones put back", async () => {
    await someAgentEmails(40);
    const stopping = new AbortController();
    let sent = 0;
    const email: EmailSender = {
      send: async (message) => {
        sent += 1;
        if (sent === 6) stopping.abort();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { providerMessageId: message.id };
      },
      close: () => {},
    };
    await runOnce(workerWith(email, 4), stopping.signal);
    expect(sent).toBeGreaterThanOrEqual(6);
    expect(sent).toBeLessThanOrEqual(9);
    expect(await statuses()).toEqual({ sent, pending: 40 - sent });
    const [attempted] = await handle.db
      .select({ n: count() })
      .from(notification)
      .where(eq(notification.attempts, 0));
    expect(attempted?.n).toBe(40 - sent);
  });

  it("a message whose recording keeps failing does not stop the batch: retried until the lease is near, then left sending", async () => {
    await someAgentEmails(20);
    let sent = 0;
    const failing = new Set<string>();
    const email: EmailSender = {
      send: async (message) => {
        sent += 1;
        // The database goes away once the 3rd message left: its recording fails.
        if (sent === 3) failing.add(message.id);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { providerMessageId: message.id };
      },
      close: () => {},
    };
    const deps = workerWith(email, 4);
    const db = new Proxy(handle.db, {
      get(target, key, receiver) {
        if (key === "update") {
          const update = Reflect.get(target, key, receiver) as typeof handle.db.update;
          return (table: typeof notification) => {
            const builder = update.call(target, table);
            const set = builder.set.bind(builder);
            return Object.assign(builder, {
              set: (values: Partial<typeof notification.$inferInsert>) => {
                if (values.status === "sent" && failing.has(String(values.providerMessageId)))
                  throw new Error("connexion à la base perdue");
                return set(values);
              },
            });
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
    const clock = fakeClock(NOW);
    const pass = runOnce({ ...deps, db, clock, recordRetryPausesMs: [5] });
    for (let i = 0; i < 1000 && (await statuses()).sent !== 19; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    // The recording gives up shortly before the lease would expire.
    clock.set(new Date(NOW.getTime() + CLAIM_LEASE_MS - RECORD_MARGIN_MS));
    await pass;
    expect(sent).toBe(20);
    expect(await statuses()).toEqual({ sending: 1, sent: 19 });
  });
});
