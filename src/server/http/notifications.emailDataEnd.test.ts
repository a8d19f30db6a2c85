import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { notification } from "../db/schema";
import { type EmailSender, smtpEmailSender } from "../domains/notifications/providers";
import { recordDataEnd } from "../domains/notifications/record";
import {
  EMAIL_INTERRUPTED_BEFORE_END,
  MAX_UNCERTAIN_SENDS,
  UNCERTAIN_WAIT_MS,
} from "../domains/notifications/rules";
import { claimDue, expireLeases, runOnce } from "../domains/notifications/worker";
import { MINUTE, type OutboxHarness, startOutboxHarness } from "../testing/outboxHarness";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";

// ADR 0004, addendum 2026-12-04: an e-mail's end of data is marked in its row before the SMTP
// terminating dot may leave. A server killed (kill -9) mid-send: with the marker the message may
// have been taken — ended uncertain, never sent twice; without it the relay (the real smtp-server
// here) discarded it — sent again normally, once.
const FROM = "France services <ne-pas-repondre@test.invalid>";
const SEND_UNTIL_KILLED = path.join(import.meta.dirname, "..", "testing", "sendUntilKilled.ts");
let h: OutboxHarness;
let sink: SmtpSink;
let email: EmailSender;

beforeAll(async () => {
  sink = await startSmtpSink();
  email = smtpEmailSender(sink.url, FROM);
  h = await startOutboxHarness(email);
});
afterEach(() => h.reset());
afterAll(async () => {
  email.close();
  await h.close();
  await sink.close();
});

const mailsTo = (summon: { id: string }) =>
  sink.mails.filter((m) => m.messageId === `<notification-${summon.id}@test.invalid>`);

/** The ended-uncertain convocation messages the direction's log counts. */
const uncertainCount = async (): Promise<number> => (await h.log()).json().uncertainLast7Days as number;

/** Claims the due row as a worker would, before it dies. */
async function claimed(id: string): Promise<typeof notification.$inferSelect> {
  const [row] = await claimDue(h.t.handle.db, h.t.clock.now(), 1);
  expect(row!.id).toBe(id);
  return row!;
}

const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
};

const messageOf = (row: typeof notification.$inferSelect) => ({
  id: row.id,
  to: row.recipient,
  subject: "Votre convocation",
  text: "Vous êtes convoqué.",
});

describe("an e-mail whose worker is killed mid-send", () => {
  it("after the relay took it, before `sent` was recorded: ended uncertain at the lease, never resent, in the direction's count", async () => {
    const summon = await aBookedSummon();
    const counted = await uncertainCount();
    // The worker marks the end, the relay takes the e-mail, and the worker dies before recording it.
    const row = await claimed(summon.id);
    await email.send(messageOf(row), { beforeDataEnd: () => recordDataEnd(h.worker, row) });
    expect(mailsTo(summon)).toHaveLength(1);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sending" });
    expect((await h.rowOf(summon.id)).dataEndAt).not.toBeNull();

    h.later(6 * MINUTE);
    await runOnce(h.worker);
    const ended = await h.rowOf(summon.id);
    expect(ended).toMatchObject({ status: "uncertain", uncertainSends: MAX_UNCERTAIN_SENDS });
    expect(ended.lastError).toContain("non renvoyé");
    expect(ended.lastError).toContain("après la fin du message");
    expect(await uncertainCount()).toBe(counted + 1);

    for (const wait of [UNCERTAIN_WAIT_MS, 24 * 3_600_000]) {
      h.later(wait);
      await runOnce(h.worker);
    }
    expect(mailsTo(summon)).toHaveLength(1);
    expect((await h.rowOf(summon.id)).status).toBe("uncertain");
  });

  it("before the end of the message (its marker being written): the relay kept nothing; pending at the lease, sent once", async () => {
    const summon = await aBookedSummon();
    const started = sink.data.started;
    const cut = sink.data.cut;
    // A worker process claims the row and is killed (SIGKILL) while its marker write is in flight:
    // the relay has the whole message but for its end when the process, and its socket, die.
    const row = await claimed(summon.id);
    const worker = spawn(
      process.execPath,
      ["--import", "tsx", SEND_UNTIL_KILLED, sink.url, row.id, row.recipient],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      worker.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("marking")) resolve();
      });
      worker.once("exit", () => reject(new Error("the sending process ended before its marker")));
    });
    expect(sink.data.started).toBe(started + 1);
    worker.kill("SIGKILL");
    await exited;
    await until(() => sink.data.cut === cut + 1);
    expect(sink.data.ended).toBe(sink.data.started - sink.data.cut);
    expect(mailsTo(summon)).toHaveLength(0);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sending", dataEndAt: null });

    h.later(6 * MINUTE);
    expect(await expireLeases(h.worker)).toBe(1);
    expect(await h.rowOf(summon.id)).toMatchObject({
      status: "pending",
      uncertainSends: 0,
      lastError: EMAIL_INTERRUPTED_BEFORE_END,
    });
    await runOnce(h.worker);
    expect(await h.rowOf(summon.id)).toMatchObject({
      status: "sent",
      attempts: 2,
      uncertainSends: 0,
      lastError: "",
    });
    h.later(24 * 3_600_000);
    await runOnce(h.worker);
    expect(mailsTo(summon)).toHaveLength(1);
  });
});

describe("a server restarted on its embedded database (PGlite: one process at a time)", () => {
  it("takes back its predecessor's interrupted claims at once, not after the lease; never its own", async () => {
    const lost = await aBookedSummon();
    // The predecessor claimed it and was killed before the end of the message.
    await claimed(lost.id);
    const taken = await aBookedSummon();
    await email.send(messageOf(await claimed(taken.id)), {
      beforeDataEnd: async () => recordDataEnd(h.worker, await h.rowOf(taken.id)),
    });
    expect(mailsTo(taken)).toHaveLength(1);

    // Without the sole-instance start, a minute later, the claims still wait their lease.
    h.later(MINUTE);
    expect(await expireLeases(h.worker)).toBe(0);
    // A successor starts now: both claims are older than it.
    const successor = { ...h.worker, soleInstanceSince: h.t.clock.now() };
    h.later(1_000);
    await runOnce(successor);
    expect(await h.rowOf(lost.id)).toMatchObject({ status: "sent", attempts: 2, uncertainSends: 0 });
    expect(mailsTo(lost)).toHaveLength(1);
    // The e-mail the relay may have taken ends uncertain, never sent again.
    expect(await h.rowOf(taken.id)).toMatchObject({
      status: "uncertain",
      uncertainSends: MAX_UNCERTAIN_SENDS,
    });
    expect(mailsTo(taken)).toHaveLength(1);

    // Its own claim, made after it started, keeps its lease.
    const own = await aBookedSummon();
    await claimed(own.id);
    h.later(MINUTE);
    expect(await expireLeases(successor)).toBe(0);
    expect(await h.rowOf(own.id)).toMatchObject({ status: "sending" });
    h.later(5 * MINUTE);
    expect(await expireLeases(successor)).toBe(1);
  });
});

describe("an e-mail whose marker the database refuses", () => {
  it("stops before its end: not taken, retried after a minute as a plain failure, then sent once", async () => {
    const summon = await aBookedSummon();
    const cut = sink.data.cut;
    // Every write of the marker fails, as with a database that went away mid-send.
    const db = new Proxy(h.worker.db, {
      get(target, key, receiver) {
        if (key !== "update") return Reflect.get(target, key, receiver);
        const update = Reflect.get(target, key, receiver) as typeof h.worker.db.update;
        return (table: typeof notification) => {
          const builder = update.call(target, table);
          const set = builder.set.bind(builder);
          return Object.assign(builder, {
            set: (values: Partial<typeof notification.$inferInsert>) => {
              if (values.dataEndAt) throw new Error("connexion à la base perdue");
              return set(values);
            },
          });
        };
      },
    });
    await runOnce({ ...h.worker, db });
    const refused = await h.rowOf(summon.id);
    expect(refused).toMatchObject({ status: "pending", attempts: 1, uncertainSends: 0, dataEndAt: null });
    expect(refused.lastError).toContain("avant la fin du message");
    await until(() => sink.data.cut === cut + 1);
    expect(sink.data.cut).toBe(cut + 1);
    expect(mailsTo(summon)).toHaveLength(0);

    h.later(MINUTE);
    await runOnce(h.worker);
    expect(await h.rowOf(summon.id)).toMatchObject({ status: "sent", attempts: 2 });
    h.later(24 * 3_600_000);
    await runOnce(h.worker);
    expect(mailsTo(summon)).toHaveLength(1);
  });
});

function aBookedSummon(): Promise<{ id: string }> {
  return h.aBookedSummon("email");
}
