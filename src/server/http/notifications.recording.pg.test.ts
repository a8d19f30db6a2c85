import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../db/createDb";
import { structure } from "../db/schema";
import { type EmailSender, type SmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { UNCERTAIN_WAIT_MS } from "../domains/notifications/rules";
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

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startOutboxHarness(smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"));
  const [{ name }] = (await h.t.handle.db
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

describe("the recording of a sent e-mail keeps failing", () => {
  it("leaves the row sending, uncertain at the lease expiry: resent once at most, never five times", async () => {
    const summon = await h.aBookedSummon("email");
    const to = (await h.rowOf(summon.id)).recipient;
    const received = () => smtp.mails.filter((mail) => mail.to === to);
    const real = h.worker.email;
    const email: EmailSender = {
      async send(message) {
        const result = await real.send(message);
        await lockRow(message.id);
        return result;
      },
      close: () => {},
    };
    const worker: WorkerDeps = { ...h.worker, db: timed.db, email, recordRetryPausesMs: [50, 50] };

    // The pass stops on the fault, and the lock is released only then.
    await expect(runOnce(worker)).rejects.toThrow(/envoyée mais non enregistrée/);
    await locker.query("ROLLBACK");
    expect(received()).toHaveLength(1);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sending", attempts: 1 });

    const healthy = { ...worker, email: real };
    h.later(6 * MINUTE);
    await runOnce(healthy);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 1 });
    expect(received()).toHaveLength(1);

    h.later(UNCERTAIN_WAIT_MS);
    await runOnce(healthy);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sent", attempts: 2 });
    // The worst case: the message twice, the second with the same Message-ID.
    expect(received()).toHaveLength(2);
    expect(received()[1]!.messageId).toBe(received()[0]!.messageId);
    h.later(24 * 60 * MINUTE);
    await runOnce(healthy);
    expect(received()).toHaveLength(2);
  });
});

describe("the recording of one sent message of a batch keeps failing", () => {
  it("stops the pass there: the other claimed rows go back to pending, not stranded until the lease", async () => {
    const first = await h.aBookedSummon("email");
    const second = await h.aBookedSummon("email");
    const real = h.worker.email;
    let lockedId: string | null = null;
    const email: EmailSender = {
      async send(message) {
        const result = await real.send(message);
        if (lockedId === null) {
          lockedId = message.id;
          await lockRow(message.id);
        }
        return result;
      },
      close: () => {},
    };
    const worker: WorkerDeps = { ...h.worker, db: timed.db, email, recordRetryPausesMs: [50] };

    await expect(runOnce(worker)).rejects.toThrow(/envoyée mais non enregistrée/);
    await locker.query("ROLLBACK");
    const stuck = lockedId === first.id ? first : second;
    const other = lockedId === first.id ? second : first;
    expect(await h.rowOf(stuck.id)).toMatchObject({ status: "sending", attempts: 1 });
    // Never sent, not an attempt, due again at once.
    expect(await h.rowOf(other.id)).toMatchObject({ status: "pending", attempts: 0, uncertainSends: 0 });

    await runOnce({ ...worker, email: real });
    expect(await h.rowOf(other.id)).toMatchObject({ status: "sent", attempts: 1, uncertainSends: 0 });
    const otherTo = (await h.rowOf(other.id)).recipient;
    expect(smtp.mails.filter((mail) => mail.to === otherTo)).toHaveLength(1);
  });
});

describe("a receipt for an SMS whose recording keeps failing", () => {
  it("settles the row still `sending`: delivered, the lease leaves it alone, never resent", async () => {
    const summon = await h.aBookedSummon("sms");
    const brevo = h.worker.sms;
    const sms: SmsSender = {
      async send(message) {
        const result = await brevo.send(message);
        await lockRow(message.id);
        return result;
      },
    };
    const worker: WorkerDeps = { ...h.worker, db: timed.db, sms, recordRetryPausesMs: [50] };

    await expect(runOnce(worker)).rejects.toThrow(/envoyée mais non enregistrée/);
    await locker.query("ROLLBACK");
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sending", attempts: 1 });
    const [sent] = h.smsTo(summon.phone);
    expect(await h.brevo.report(sent!.messageId, "delivered")).toBe(200);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "delivered", uncertainSends: 0 });

    const healthy = { ...worker, sms: brevo };
    for (const minutes of [6, UNCERTAIN_WAIT_MS / MINUTE, 24 * 60]) {
      h.later(minutes * MINUTE);
      await runOnce(healthy);
    }
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "delivered", uncertainSends: 0 });
    expect(h.smsTo(summon.phone)).toHaveLength(1);
  });
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
