import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../db/createDb";
import { structure } from "../db/schema";
import { type EmailSender, type SmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { RECORD_MARGIN_MS } from "../domains/notifications/record";
import { CLAIM_LEASE_MS, UNCERTAIN_WAIT_MS } from "../domains/notifications/rules";
import { runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { appDatabaseUrl, withDatabase } from "../testing/constants";
import { MINUTE, type OutboxHarness, startOutboxHarness } from "../testing/outboxHarness";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";

/**
 * The provider took the message, then recording it fails on a real database fault: another
 * connection holds the row's lock longer than the worker's lock timeout. The message must never
 * go back to `pending` (resent up to five times): the recording is retried, and if it keeps
 * failing the row stays `sending`, uncertain at the lease expiry, resent at most once.
 */
const adminUrl = process.env.TEST_DATABASE_URL ?? "";
const LOCK_TIMEOUT_MS = 300;
let h: OutboxHarness;
let smtp: SmtpSink;
let timed: DbHandle;
let locker: pg.Client;
let name: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startOutboxHarness(smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"));
  [{ name }] = (await h.t.handle.db
    .select({ name: sql<string>`current_database()` })
    .from(structure)
    .limit(1)) as [{ name: string }];
  // The worker's own pool with the server's timeouts, much shorter.
  timed = await createDb({
    driver: "pg",
    url: appDatabaseUrl(adminUrl, name),
    poolSize: 2,
    timeouts: {
      statementMs: LOCK_TIMEOUT_MS,
      lockMs: LOCK_TIMEOUT_MS,
      idleInTransactionMs: 10_000,
      connectMs: 2_000,
    },
  });
  locker = new pg.Client({ connectionString: withDatabase(adminUrl, name) });
  await locker.connect();
});
afterEach(() => h.reset());
afterAll(async () => {
  await locker.end();
  await timed.close();
  await h.close();
  await smtp.close();
});

/** Another connection locks the notification row (a long transaction, a maintenance job). */
async function lockRow(id: string): Promise<void> {
  await locker.query("BEGIN");
  await locker.query("SELECT id FROM notification WHERE id = $1 FOR UPDATE", [id]);
}

/** Statements waiting for the locker's lock (a row lock is waited for on its transaction id). */
const waitingForLock = async (): Promise<number> =>
  Number(
    (
      await locker.query(
        "SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY (pg_blocking_pids(pid))",
      )
    ).rows[0].n,
  );

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition not met in 5 s");
}

/** Releases the lock once one statement of the worker waited for it and gave up (lock timeout). */
async function releaseAfterOneFailure(): Promise<void> {
  await until(async () => (await waitingForLock()) > 0);
  await until(async () => (await waitingForLock()) === 0);
  await locker.query("ROLLBACK");
}

describe("the recording of a sent SMS fails once", () => {
  it("is recorded on a retry: one SMS, the row sent, never resent", async () => {
    const summon = await h.aBookedSummon("sms");
    const brevo = h.worker.sms;
    let released: Promise<void> = Promise.resolve();
    const sms: SmsSender = {
      async send(message) {
        const result = await brevo.send(message);
        await lockRow(message.id);
        released = releaseAfterOneFailure();
        return result;
      },
    };
    const lines: string[] = [];
    const worker: WorkerDeps = {
      ...h.worker,
      db: timed.db,
      sms,
      recordRetryPausesMs: [50, 50, 50],
      log: (line) => lines.push(line),
    };

    await runOnce(worker);
    await released;
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sent", attempts: 1, uncertainSends: 0 });
    expect(h.smsTo(summon.phone)).toHaveLength(1);
    expect(lines.some((line) => line.includes("enregistrement impossible"))).toBe(true);

    // Not resent by any later pass (a `pending` row would be resent after 1, 5, 25 min…).
    for (const minutes of [1, 5, 25, 125, 24 * 60]) {
      h.later(minutes * MINUTE);
      await runOnce({ ...worker, sms: brevo });
    }
    expect(h.smsTo(summon.phone)).toHaveLength(1);
  });
});

/** Waits until the worker logged a failed recording (its first try met the lock and gave up). */
async function firstFailure(lines: string[]): Promise<void> {
  await until(async () => lines.some((line) => line.includes("enregistrement impossible")));
}

/**
 * One pass of a worker whose recording of every sent message keeps failing (another connection
 * locks the row right after the provider took the message), until the recording gives up shortly
 * before the lease; then the lock goes. Answers the worker's log and the same worker with the
 * real senders, healthy again.
 */
async function passUntilRecordingGivesUp(): Promise<{ lines: string[]; healthy: WorkerDeps }> {
  const real = { email: h.worker.email, sms: h.worker.sms };
  const lockedOnceSent = async <T>(sent: Promise<T>, id: string): Promise<T> => {
    const result = await sent;
    await lockRow(id);
    return result;
  };
  const lines: string[] = [];
  const worker: WorkerDeps = {
    ...h.worker,
    db: timed.db,
    email: {
      send: (message, hooks) => lockedOnceSent(real.email.send(message, hooks), message.id),
      close: () => {},
    },
    sms: { send: (message) => lockedOnceSent(real.sms.send(message), message.id) },
    recordRetryPausesMs: [50],
    log: (line) => lines.push(line),
  };
  const pass = runOnce(worker);
  await firstFailure(lines);
  // Four and a half minutes of failures later, the recording gives up before the lease.
  h.later(CLAIM_LEASE_MS - RECORD_MARGIN_MS);
  await pass;
  await locker.query("ROLLBACK");
  return { lines, healthy: { ...worker, ...real } };
}

describe("the recording of a sent e-mail keeps failing", () => {
  it("is retried until shortly before the lease, then left sending: ended uncertain at the lease expiry (its end was marked), never resent", async () => {
    const summon = await h.aBookedSummon("email");
    const to = (await h.rowOf(summon.id)).recipient;
    const received = () => smtp.mails.filter((mail) => mail.to === to);
    const { lines, healthy } = await passUntilRecordingGivesUp();
    expect(lines.some((line) => line.includes("mais non enregistrée après"))).toBe(true);
    expect(received()).toHaveLength(1);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sending", attempts: 1 });
    expect((await h.rowOf(summon.id)).dataEndAt).not.toBeNull();

    h.later(RECORD_MARGIN_MS + MINUTE);
    await runOnce(healthy);
    // ADR 0004, addendum 2026-12-04: the relay may have it (it does), so it is never sent again.
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 2 });
    expect(received()).toHaveLength(1);

    for (const wait of [UNCERTAIN_WAIT_MS, 24 * 60 * MINUTE]) {
      h.later(wait);
      await runOnce(healthy);
    }
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "uncertain", attempts: 1 });
    expect(received()).toHaveLength(1);
  });
});

describe("the recording of one sent message keeps failing", () => {
  it("does not hold the other messages: they leave in the same pass while it is retried", async () => {
    const first = await h.aBookedSummon("email");
    const second = await h.aBookedSummon("email");
    const real = h.worker.email;
    let lockedId: string | null = null;
    const email: EmailSender = {
      async send(message, hooks) {
        const result = await real.send(message, hooks);
        if (lockedId === null) {
          lockedId = message.id;
          await lockRow(message.id);
        }
        return result;
      },
      close: () => {},
    };
    const lines: string[] = [];
    const worker: WorkerDeps = {
      ...h.worker,
      db: timed.db,
      email,
      recordRetryPausesMs: [50],
      log: (line) => lines.push(line),
    };

    const pass = runOnce(worker);
    await firstFailure(lines);
    const stuck = lockedId === first.id ? first : second;
    const other = lockedId === first.id ? second : first;
    await until(async () => (await h.rowOf(other.id)).status === "sent");
    expect(await h.rowOf(stuck.id)).toMatchObject({ status: "sending", attempts: 1 });
    // The lock goes: the retried recording lands.
    await locker.query("ROLLBACK");
    await pass;
    expect(await h.rowOf(stuck.id)).toMatchObject({ status: "sent", attempts: 1, uncertainSends: 0 });
    expect(await h.rowOf(other.id)).toMatchObject({ status: "sent", attempts: 1, uncertainSends: 0 });
    for (const row of [stuck, other]) {
      const to = (await h.rowOf(row.id)).recipient;
      expect(smtp.mails.filter((mail) => mail.to === to)).toHaveLength(1);
    }
  });
});

describe("a receipt for an SMS whose recording gave up", () => {
  it("settles the row still `sending`: delivered, the lease leaves it alone, never resent", async () => {
    const summon = await h.aBookedSummon("sms");
    const { healthy } = await passUntilRecordingGivesUp();
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sending", attempts: 1 });
    const [sent] = h.smsTo(summon.phone);
    expect(await h.brevo.report(sent!.messageId, "delivered")).toBe(200);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "delivered", uncertainSends: 0, lastError: "" });

    for (const minutes of [6, UNCERTAIN_WAIT_MS / MINUTE, 24 * 60]) {
      h.later(minutes * MINUTE);
      await runOnce(healthy);
    }
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "delivered", uncertainSends: 0 });
    expect(h.smsTo(summon.phone)).toHaveLength(1);
  });
});

describe("the database unavailable for 8 s right after Brevo took an SMS (longer than the old 6 s window)", () => {
  it("records the send once it is back (default pauses): one SMS; a receipt meanwhile is answered 429, then taken", async () => {
    const summon = await h.aBookedSummon("sms");
    const brevo = h.worker.sms;
    // Another database of the cluster: a database's own connection cannot disallow connections to it.
    const cluster = new pg.Client({ connectionString: adminUrl });
    await cluster.connect();
    let back: Promise<void> = Promise.resolve();
    const sms: SmsSender = {
      async send(message) {
        const result = await brevo.send(message);
        // As a restart does: every connection to the database cut, new ones refused for 8 s.
        await cluster.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await locker.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        );
        back = new Promise((resolve) => setTimeout(resolve, 8_000)).then(async () => {
          await cluster.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
        });
        return result;
      },
    };
    const lines: string[] = [];
    const started = Date.now();
    const pass = runOnce({ ...h.worker, db: timed.db, sms, log: (line) => lines.push(line) }).catch(() => {});
    await firstFailure(lines);
    // Brevo's receipt while the database is down: 429, which Brevo retries (a 503 it would drop).
    const [sent] = h.smsTo(summon.phone);
    expect(await h.brevo.report(sent!.messageId, "sent")).toBe(429);
    await back;
    await pass;
    await cluster.end();
    expect(Date.now() - started).toBeGreaterThan(8_000);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sent", attempts: 1, uncertainSends: 0 });
    expect(lines.some((line) => /enregistrée au \d+e essai/.test(line))).toBe(true);
    expect(await h.brevo.report(sent!.messageId, "delivered")).toBe(200);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "delivered" });

    for (const minutes of [6, UNCERTAIN_WAIT_MS / MINUTE, 24 * 60]) {
      h.later(minutes * MINUTE);
      await runOnce({ ...h.worker, db: timed.db });
    }
    expect(h.smsTo(summon.phone)).toHaveLength(1);
    // The log names the message, never the number nor the text.
    const logged = lines.join("\n");
    expect(logged).toContain(summon.id);
    expect(logged).not.toContain(summon.phone.slice(1));
    expect(logged).not.toContain(sent!.content.slice(0, 25));
  }, 30_000);
});

describe("a database fault while preparing a message", () => {
  it("puts it back for a minute (not an attempt), never skips it", async () => {
    const summon = await h.aBookedSummon("sms");
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE notification_template IN ACCESS EXCLUSIVE MODE");
    try {
      await runOnce({ ...h.worker, db: timed.db });
    } finally {
      await locker.query("ROLLBACK");
    }
    expect(h.smsTo(summon.phone)).toHaveLength(0);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "pending", attempts: 0 });

    h.later(MINUTE);
    await runOnce({ ...h.worker, db: timed.db });
    expect(h.smsTo(summon.phone)).toHaveLength(1);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sent", attempts: 1 });
  });
});
