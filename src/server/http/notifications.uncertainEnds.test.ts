import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { notification } from "../db/schema";
import { type SmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { SendError, UNCERTAIN_WAIT_MS, UncertainSendError } from "../domains/notifications/rules";
import { claimDue, runOnce } from "../domains/notifications/worker";
import { closedPort, MINUTE, type OutboxHarness, startOutboxHarness } from "../testing/outboxHarness";
import { type CuttingSmtpServer, startCuttingSmtpServer } from "../testing/smtpSink";

// Sends cut midway (an SMTP session after DATA, a worker killed): uncertain, resent at most once.
let h: OutboxHarness;
let cutSmtp: CuttingSmtpServer;

beforeAll(async () => {
  cutSmtp = await startCuttingSmtpServer();
  h = await startOutboxHarness(
    smtpEmailSender(cutSmtp.url, "France services <ne-pas-repondre@test.invalid>"),
  );
});
afterEach(() => h.reset());
afterAll(async () => {
  await h.close();
  await cutSmtp.close();
});

const aBookedSummon = (channel: "sms" | "email") => h.aBookedSummon(channel);
const rowOf = (id: string) => h.rowOf(id);
const smsTo = (phone: string) => h.smsTo(phone);
const later = (ms: number) => h.later(ms);

describe("a worker that died mid-send", () => {
  it("leaves a sending row that becomes uncertain after the lease, is resent once after the wait, at most", async () => {
    const summon = await aBookedSummon("sms");
    // A worker claims the row, then dies before recording anything (kill -9).
    expect((await claimDue(h.t.handle.db, h.t.clock.now())).map((r) => r.id)).toContain(summon.id);

    later(6 * MINUTE);
    await runOnce(h.worker);
    expect(smsTo(summon.phone)).toHaveLength(0);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 1 });

    later(UNCERTAIN_WAIT_MS);
    // The resend is claimed, and that worker dies too.
    expect((await claimDue(h.t.handle.db, h.t.clock.now())).map((r) => r.id)).toContain(summon.id);
    later(6 * MINUTE);
    await runOnce(h.worker);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 2 });

    later(24 * 3_600_000);
    await runOnce(h.worker);
    expect(smsTo(summon.phone)).toHaveLength(0);
    expect((await rowOf(summon.id)).status).toBe("uncertain");
  });
});

describe("an email whose SMTP session is cut after DATA", () => {
  it("is uncertain, carries a Message-ID derived from the notification, and is resent once with it", async () => {
    const summon = await aBookedSummon("email");
    const before = cutSmtp.received.length;
    await runOnce(h.worker);
    expect(cutSmtp.received).toHaveLength(before + 1);
    const row = await rowOf(summon.id);
    expect(row).toMatchObject({ status: "uncertain", uncertainSends: 1 });
    expect(row.lastError).toContain("connexion coupée");
    // Long headers are folded: compare unfolded.
    const messageId = `Message-ID: <notification-${summon.id}@test.invalid>`;
    const unfolded = () => cutSmtp.received.at(-1)!.replace(/\r?\n[ \t]+/g, " ");
    expect(unfolded()).toContain(messageId);

    later(UNCERTAIN_WAIT_MS);
    await runOnce(h.worker);
    expect(cutSmtp.received).toHaveLength(before + 2);
    expect(unfolded()).toContain(messageId);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 2 });
    later(3_600_000);
    await runOnce(h.worker);
    expect(cutSmtp.received).toHaveLength(before + 2);
  });

  it("a connection refused before any command is retried, not uncertain", async () => {
    const refused = smtpEmailSender(
      `smtp://127.0.0.1:${await closedPort()}`,
      "France services <ne-pas-repondre@test.invalid>",
    );
    const error = await refused
      .send({ id: "00000000-0000-4000-8000-000000000000", to: "a@exemple.invalid", subject: "s", text: "t" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).not.toBeInstanceOf(UncertainSendError);
    expect((error as SendError).retryable).toBe(true);
  });
});

describe("the direction's alert", () => {
  it("counts messages ended uncertain with the failures", async () => {
    const summons = [await aBookedSummon("sms"), await aBookedSummon("sms"), await aBookedSummon("sms")];
    // Each dies twice mid-send: uncertain for good.
    for (let round = 0; round < 2; round += 1) {
      await claimDue(h.t.handle.db, h.t.clock.now());
      later(6 * MINUTE);
      await runOnce(h.worker);
      later(UNCERTAIN_WAIT_MS);
    }
    for (const summon of summons) expect((await rowOf(summon.id)).uncertainSends).toBe(2);
    const alerts = await h.t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.kind, "failure_alert"));
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0]!.body).toContain("sont en « envoi incertain »");
    expect((await h.log()).json().uncertainLast7Days).toBeGreaterThanOrEqual(3);
  });
});

describe("the recording of one sent SMS of a batch keeps failing (PGlite: injected)", () => {
  it("that row stays `sending`, the other claimed rows go back to pending, not counted as an attempt", async () => {
    const first = await aBookedSummon("sms");
    const second = await aBookedSummon("sms");
    let failuresLeft = 0;
    const db = new Proxy(h.worker.db, {
      get(target, property, receiver) {
        if (property === "update" && failuresLeft > 0) {
          failuresLeft -= 1;
          return () => {
            throw Object.assign(new Error("terminating connection"), { code: "57P01" });
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    // The provider takes each SMS (in memory: no timeout to hit on a busy machine).
    const taken: string[] = [];
    const sms: SmsSender = {
      async send(message) {
        taken.push(message.id);
        if (taken.length === 1) failuresLeft = 2;
        return { providerMessageId: `m-${taken.length}` };
      },
    };
    // The first try and its one retry fail: the pass stops on that row.
    await expect(runOnce({ ...h.worker, db, sms, recordRetryPausesMs: [10] })).rejects.toThrow(
      /envoyée mais non enregistrée/,
    );
    expect(taken).toHaveLength(1);
    const stuck = taken[0] === first.id ? first : second;
    const other = taken[0] === first.id ? second : first;
    expect(await rowOf(stuck.id)).toMatchObject({ status: "sending", attempts: 1 });
    expect(await rowOf(other.id)).toMatchObject({ status: "pending", attempts: 0, uncertainSends: 0 });

    await runOnce({ ...h.worker, sms });
    expect(await rowOf(other.id)).toMatchObject({ status: "sent", attempts: 1, uncertainSends: 0 });
    expect(taken).toEqual([stuck.id, other.id]);
  });
});
