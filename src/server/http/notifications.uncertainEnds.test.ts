import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { notification } from "../db/schema";
import { type SmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { RECORD_MARGIN_MS } from "../domains/notifications/record";
import {
  CLAIM_LEASE_MS,
  RESENT_AFTER_UNCERTAIN_EMAIL,
  SendError,
  UNCERTAIN_WAIT_MS,
  UncertainSendError,
} from "../domains/notifications/rules";
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

describe("a worker killed between Brevo's answer and the recording (kill -9, receipts off)", () => {
  it("the lease makes it uncertain; Brevo's event log then shows it was taken: recorded sent, one SMS", async () => {
    const summon = await aBookedSummon("sms");
    // A worker claims the row and Brevo takes the SMS; the worker dies before recording anything.
    const [row] = await claimDue(h.t.handle.db, h.t.clock.now(), 1);
    expect(row!.id).toBe(summon.id);
    await h.worker.sms.send({ id: row!.id, to: row!.recipient, text: "Convocation", receiptUrl: null });
    expect(smsTo(summon.phone)).toHaveLength(1);

    const worker = { ...h.worker, smsWebhookToken: null };
    later(6 * MINUTE);
    await runOnce(worker);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 1 });

    later(UNCERTAIN_WAIT_MS);
    await runOnce(worker);
    const settled = await rowOf(summon.id);
    expect(settled).toMatchObject({
      status: "sent",
      providerMessageId: String(smsTo(summon.phone)[0]!.messageId),
      uncertainSends: 1,
    });
    // The row had no text recorded: the text as rendered at the check is kept for the log.
    expect(settled.body).toContain("/stop/");
    later(24 * 3_600_000);
    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(1);
  });
});

describe("an email whose SMTP session is cut after DATA", () => {
  it("is ended uncertain at once (its end of data had left), carries a Message-ID derived from the notification, and is never resent", async () => {
    const summon = await aBookedSummon("email");
    const before = cutSmtp.received.length;
    await runOnce(h.worker);
    expect(cutSmtp.received).toHaveLength(before + 1);
    const row = await rowOf(summon.id);
    expect(row).toMatchObject({ status: "uncertain", uncertainSends: 2 });
    expect(row.dataEndAt).not.toBeNull();
    expect(row.lastError).toContain("connexion coupée après la fin du message");
    expect(row.lastError).toContain("non renvoyé");
    // Long headers are folded: compare unfolded.
    const messageId = `Message-ID: <notification-${summon.id}@test.invalid>`;
    const unfolded = () => cutSmtp.received.at(-1)!.replace(/\r?\n[ \t]+/g, " ");
    expect(unfolded()).toContain(messageId);

    later(UNCERTAIN_WAIT_MS);
    await runOnce(h.worker);
    later(24 * 3_600_000);
    await runOnce(h.worker);
    expect(cutSmtp.received).toHaveLength(before + 1);
    expect((await rowOf(summon.id)).status).toBe("uncertain");
  });

  it("an e-mail left uncertain by the previous version (no marker) is still resent once, with its Message-ID", async () => {
    // Only the first message is cut after DATA; the resend is taken.
    const firstCut = await startCuttingSmtpServer(new Set([1]));
    try {
      const worker = {
        ...h.worker,
        email: smtpEmailSender(firstCut.url, "France services <ne-pas-repondre@test.invalid>"),
      };
      const summon = await aBookedSummon("email");
      // Only this e-mail's copies (an alert to the direction may leave too).
      const copies = () => firstCut.received.filter((raw) => raw.includes(`notification-${summon.id}@`));
      await runOnce(worker);
      expect(copies()).toHaveLength(1);
      // As the previous version recorded it: one uncertain send, waiting for its resend, no marker.
      await h.t.handle.db
        .update(notification)
        .set({
          uncertainSends: 1,
          dataEndAt: null,
          notBefore: h.t.clock.now(),
          lastError: "Envoi incertain, sera renvoyé une seule fois sans vérification possible : …",
        })
        .where(eq(notification.id, summon.id));

      await runOnce(worker);
      expect(copies()).toHaveLength(2);
      // Long headers are folded: read them unfolded.
      const ids = copies().map((raw) => /Message-ID: (<[^>]+>)/i.exec(raw.replace(/\r?\n[ \t]+/g, " "))?.[1]);
      expect(ids[0]).toBe(`<notification-${summon.id}@test.invalid>`);
      expect(ids[1]).toBe(ids[0]);
      expect(await rowOf(summon.id)).toMatchObject({
        status: "sent",
        uncertainSends: 1,
        lastError: RESENT_AFTER_UNCERTAIN_EMAIL,
      });
    } finally {
      await firstCut.close();
    }
  });

  it("a connection refused before any command is retried, not uncertain", async () => {
    const refused = smtpEmailSender(
      `smtp://127.0.0.1:${await closedPort()}`,
      "France services <ne-pas-repondre@test.invalid>",
    );
    const error = await refused
      .send(
        { id: "00000000-0000-4000-8000-000000000000", to: "a@exemple.invalid", subject: "s", text: "t" },
        { beforeDataEnd: async () => {} },
      )
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

describe("the recording of a sent SMS fails for longer than the old 6 s window (PGlite: injected)", () => {
  it("is retried in the background while the worker goes on: recorded once the database is back, one SMS each", async () => {
    const first = await aBookedSummon("sms");
    const second = await aBookedSummon("sms");
    // Every write fails while `down`, as a connection to a restarting server does.
    let down = false;
    let refused = 0;
    const db = new Proxy(h.worker.db, {
      get(target, property, receiver) {
        if (property === "update" && down) {
          refused += 1;
          return () => {
            throw new Error("Failed query: update notification … params: +33613000001,Votre convocation", {
              cause: Object.assign(new Error("terminating connection due to administrator command"), {
                code: "57P01",
              }),
            });
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    // The real fake Brevo takes each SMS; the database goes down right after the first.
    const brevo = h.worker.sms;
    const taken: string[] = [];
    const sms: SmsSender = {
      async send(message) {
        const result = await brevo.send(message);
        taken.push(message.id);
        if (taken.length === 1) down = true;
        return result;
      },
    };
    const lines: string[] = [];
    const pendingRecords = new Set<Promise<void>>();
    const worker = { ...h.worker, db, sms, log: (line: string) => lines.push(line), pendingRecords };
    // Longer than 0.2 + 1 + 5 s in retries (the old window gave up after three), shortened pauses.
    const pauses = Array.from({ length: 12 }, () => 25);

    // The pass ends on its next claim (the database is down); the recording goes on meanwhile.
    await expect(runOnce({ ...worker, recordRetryPausesMs: pauses })).rejects.toThrow();
    expect(pendingRecords.size).toBe(1);
    // More tries than the old window's three, however slowly the machine runs them.
    await vi.waitFor(() => expect(refused).toBeGreaterThan(4), { timeout: 10_000, interval: 10 });
    expect(pendingRecords.size).toBe(1);
    const stuck = taken[0] === first.id ? first : second;
    const other = taken[0] === first.id ? second : first;
    expect(await rowOf(stuck.id)).toMatchObject({ status: "sending" });
    down = false;
    await Promise.all([...pendingRecords]);
    expect(await rowOf(stuck.id)).toMatchObject({
      status: "sent",
      attempts: 1,
      uncertainSends: 0,
      lastError: "",
    });
    expect(lines.some((line) => /enregistrée au \d+e essai/.test(line))).toBe(true);

    // The other SMS leaves at the next pass; neither is ever sent again.
    await runOnce({ ...h.worker, sms });
    expect(await rowOf(other.id)).toMatchObject({ status: "sent", attempts: 1, uncertainSends: 0 });
    for (const minutes of [6, UNCERTAIN_WAIT_MS / MINUTE, 24 * 60]) {
      later(minutes * MINUTE);
      await runOnce({ ...h.worker, sms });
    }
    expect(taken).toEqual([stuck.id, other.id]);
    expect(smsTo(first.phone)).toHaveLength(1);
    expect(smsTo(second.phone)).toHaveLength(1);
    expect((await rowOf(stuck.id)).status).toBe("sent");

    // The log names the message, never the number, the text nor the failed query's parameters.
    const logged = lines.join("\n");
    expect(logged).toContain(stuck.id);
    expect(logged).toContain("57P01");
    const body = (await rowOf(stuck.id)).body;
    for (const secret of [
      stuck.phone,
      stuck.phone.slice(1),
      body.slice(0, 30),
      "params",
      "Votre convocation",
    ])
      expect(logged).not.toContain(secret);
  });

  it("gives up shortly before the lease expires: the row stays sending, uncertain at the lease, then found in Brevo's log", async () => {
    const summon = await aBookedSummon("sms");
    let down = false;
    const db = new Proxy(h.worker.db, {
      get(target, property, receiver) {
        if (property === "update" && down)
          return () => {
            throw Object.assign(new Error("Connection terminated unexpectedly"), {});
          };
        return Reflect.get(target, property, receiver);
      },
    });
    const brevo = h.worker.sms;
    const sms: SmsSender = {
      async send(message) {
        const result = await brevo.send(message);
        down = true;
        return result;
      },
    };
    const lines: string[] = [];
    const running = runOnce({ ...h.worker, db, sms, recordRetryPausesMs: [20], log: (l) => lines.push(l) });
    // Sent and its recording failed once (claimed before the clock moves, so its lease is now's).
    await vi.waitFor(
      () => expect(lines.some((line) => line.includes("enregistrement impossible"))).toBe(true),
      { timeout: 10_000, interval: 10 },
    );
    // Four and a half minutes later (the database still down), the recording gives up.
    later(CLAIM_LEASE_MS - RECORD_MARGIN_MS);
    await running.catch(() => {});
    down = false;
    expect(lines.some((line) => line.includes("mais non enregistrée après"))).toBe(true);
    expect(await rowOf(summon.id)).toMatchObject({ status: "sending", attempts: 1 });

    later(RECORD_MARGIN_MS + MINUTE);
    await runOnce(h.worker);
    const row = await rowOf(summon.id);
    expect(row).toMatchObject({ status: "uncertain", uncertainSends: 1 });
    expect(row.lastError).toContain("résultat non enregistré");
    expect(row.lastError).not.toContain("arrêt du serveur pendant l'envoi)");
    expect(smsTo(summon.phone)).toHaveLength(1);

    later(UNCERTAIN_WAIT_MS);
    await runOnce(h.worker);
    expect(await rowOf(summon.id)).toMatchObject({ status: "sent", uncertainSends: 1 });
    expect(smsTo(summon.phone)).toHaveLength(1);
  });
});
