import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { notification } from "../db/schema";
import {
  brevoSmsSender,
  logEmailSender,
  SmsLookupError,
  type SmsSender,
} from "../domains/notifications/providers";
import {
  LOOKUP_PATIENCE_MS,
  LOOKUP_RETRY_MS,
  SendError,
  UNCERTAIN_WAIT_MS,
  UncertainSendError,
} from "../domains/notifications/rules";
import { runOnce } from "../domains/notifications/worker";
import {
  BREVO_TIMEOUT_MS,
  closedPort,
  MINUTE,
  OUTBOX_START,
  type OutboxHarness,
  startOutboxHarness,
} from "../testing/outboxHarness";
import { demo } from "../testing/testApp";

// A send whose outcome is unknown is "maybe sent": uncertain, resent at most once, never five times.
// (A session or a worker cut mid-send: notifications.uncertainEnds.test.ts; a fault recording a send:
// notifications.recording.pg.test.ts.)
let h: OutboxHarness;

beforeAll(async () => {
  h = await startOutboxHarness(logEmailSender(() => {}));
});
afterEach(() => h.reset());
afterAll(() => h.close());

const aBookedSummon = (channel: "sms" | "email") => h.aBookedSummon(channel);
const rowOf = (id: string) => h.rowOf(id);
const smsTo = (phone: string) => h.smsTo(phone);
const later = (ms: number) => h.later(ms);
const lookupsOf = (id: string) => h.brevo.lookups.filter((q) => q.get("tags") === `notification-${id}`);

/** The real Brevo client without its event-log lookup: a provider that cannot tell whether it took an SMS. */
const withoutLookup = () => ({ ...h.worker, sms: { send: h.worker.sms.send } });

describe("an SMS the provider answers after the timeout", () => {
  it("is uncertain, then found in Brevo's event log after the wait: recorded sent, one SMS, receipts off", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("late");
    // No receipt address: Brevo cannot reach the server (an intranet).
    const worker = { ...h.worker, smsWebhookToken: null };

    await runOnce(worker);
    const [sms] = smsTo(summon.phone);
    expect(sms!.webUrl).toBeUndefined();
    expect(sms!.tag).toBe(`notification-${summon.id}`);
    const first = await rowOf(summon.id);
    expect(first).toMatchObject({ status: "uncertain", uncertainSends: 1, attempts: 1 });
    expect(first.lastError).toContain("Le fournisseur d'envoi des SMS n'a pas répondu en");

    later(UNCERTAIN_WAIT_MS - MINUTE);
    await runOnce(worker);
    expect(lookupsOf(summon.id)).toHaveLength(0);

    later(MINUTE);
    await runOnce(worker);
    // One question, exact: the tag that names this notification, over the last days.
    expect(lookupsOf(summon.id)).toHaveLength(1);
    expect(lookupsOf(summon.id)[0]!.get("days")).toBe("2");
    expect(await rowOf(summon.id)).toMatchObject({
      status: "sent",
      providerMessageId: String(sms!.messageId),
      uncertainSends: 1,
      attempts: 1,
      lastError: "",
    });
    for (const hours of [1, 3, 24]) {
      later(hours * 3_600_000);
      await runOnce(worker);
    }
    expect(smsTo(summon.phone)).toHaveLength(1);
  });

  it("a provider that cannot tell: resent once after the wait, and never again", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("late", "late");
    const worker = withoutLookup();

    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(1);
    const first = await rowOf(summon.id);
    expect(first).toMatchObject({ status: "uncertain", uncertainSends: 1, attempts: 1 });
    expect(first.lastError).toContain("Le fournisseur d'envoi des SMS n'a pas répondu en");
    expect(first.notBefore.getTime()).toBe(OUTBOX_START.getTime() + UNCERTAIN_WAIT_MS);

    later(UNCERTAIN_WAIT_MS - MINUTE);
    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(1);

    later(MINUTE);
    await runOnce(worker);
    const sent = smsTo(summon.phone);
    expect(sent).toHaveLength(2);
    // The resend is recognisably the same message: same tag, same receipt address.
    expect(sent[1]!.tag).toEqual(sent[0]!.tag);
    expect(sent[1]!.webUrl).toBe(sent[0]!.webUrl);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 2, attempts: 2 });

    for (const hours of [1, 3, 24]) {
      later(hours * 3_600_000);
      await runOnce(worker);
    }
    expect(smsTo(summon.phone)).toHaveLength(2);

    // The log counts it with the failures and filters on it.
    const page = await h.log("uncertain");
    expect(page.statusCode).toBe(200);
    expect(page.json().uncertainLast7Days).toBeGreaterThanOrEqual(1);
    expect(page.json().notifications.map((n: { id: string }) => n.id)).toContain(summon.id);
    expect(page.json().notifications.find((n: { id: string }) => n.id === summon.id)).toMatchObject({
      status: "uncertain",
      uncertainSends: 2,
    });
  });

  it("a receipt during the wait settles it: delivered, never resent", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("late");
    await runOnce(h.worker);
    const [sms] = smsTo(summon.phone);
    expect((await rowOf(summon.id)).status).toBe("uncertain");

    // The receipt address names the notification: we never learnt Brevo's messageId.
    expect(await h.brevo.report(sms!.messageId, "delivered")).toBe(200);
    expect(await rowOf(summon.id)).toMatchObject({
      status: "delivered",
      providerMessageId: String(sms!.messageId),
    });

    later(UNCERTAIN_WAIT_MS + MINUTE);
    await runOnce(h.worker);
    expect(smsTo(summon.phone)).toHaveLength(1);
  });

  it("a connection cut after the request left is uncertain too; one refused before sending is retried", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("cut");
    await runOnce(h.worker);
    expect(smsTo(summon.phone)).toHaveLength(1);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 1 });

    const refused = brevoSmsSender({
      apiUrl: `http://127.0.0.1:${await closedPort()}/v3`,
      apiKey: "k",
      sender: "FRServices",
    });
    const error = await refused
      .send({ id: summon.id, to: "+33612345678", text: "Test", receiptUrl: null })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).not.toBeInstanceOf(UncertainSendError);
    expect((error as SendError).retryable).toBe(true);
    // The agent reads French; the technical code stays for the log.
    expect((error as SendError).message).toBe("SMS : Le fournisseur d'envoi des SMS est injoignable.");
    expect((error as SendError).logCode).toBe("Brevo ECONNREFUSED");
    const cut = (await rowOf(summon.id)).lastError;
    expect(cut).toContain(
      "Connexion au fournisseur d'envoi des SMS interrompue : le SMS a pu être pris en charge.",
    );
  });

  it("the client's own timer gives up a send and a lookup left unanswered: uncertain, and the question unanswered", async () => {
    // The harness's client times out when the fake holds the request; this one on its own timer.
    const timed = brevoSmsSender({
      apiUrl: h.brevo.apiUrl,
      apiKey: h.brevo.apiKey,
      sender: "FRServices",
      timeoutMs: BREVO_TIMEOUT_MS,
    });
    h.brevo.nextMisbehaviours.push("late");
    const error = await timed
      .send({
        id: "00000000-0000-4000-8000-000000000000",
        to: "+33612345678",
        text: "Test",
        receiptUrl: null,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainSendError);
    expect((error as SendError).message).toBe(
      "SMS : Le fournisseur d'envoi des SMS n'a pas répondu en 0.15 s : le SMS a pu être pris en charge.",
    );
    expect((error as SendError).logCode).toBe("Brevo timeout");

    h.brevo.eventsMisbehaviour = "slow";
    const lookup = await timed.lookup!({
      id: "00000000-0000-4000-8000-000000000000",
      since: OUTBOX_START,
      now: OUTBOX_START,
    }).catch((e: unknown) => e);
    expect(lookup).toBeInstanceOf(SmsLookupError);
    expect((lookup as SmsLookupError).logCode).toBe("Brevo timeout");
  });
});

describe("Brevo's event log cannot answer before the resend", () => {
  it("the SMS waits, uncertain and said so, while the log is down or cut; found once it answers: one SMS", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("late");
    await runOnce(h.worker);
    const [sms] = smsTo(summon.phone);

    h.brevo.eventsMisbehaviour = "down";
    later(UNCERTAIN_WAIT_MS);
    const checkedAt = h.t.clock.now().getTime();
    await runOnce(h.worker);
    const waiting = await rowOf(summon.id);
    // Not an attempt: nothing was sent. The agent reads why it waits and until when.
    expect(waiting).toMatchObject({ status: "uncertain", uncertainSends: 1, attempts: 1 });
    expect(waiting.notBefore.getTime()).toBe(checkedAt + LOOKUP_RETRY_MS);
    expect(waiting.lastError).toContain(
      "le fournisseur d'envoi des SMS ne répond pas à la vérification (Brevo 503)",
    );
    // 11:15 in Paris: asked again at 11 h 20, resent without an answer from 12 h 00.
    expect(waiting.lastError).toContain("Nouvelle vérification à 11 h 20 ;");
    expect(waiting.lastError).toContain("renvoyé une fois à partir de 12 h 00.");
    const page = await h.log("uncertain");
    expect(page.json().notifications.find((n: { id: string }) => n.id === summon.id)).toMatchObject({
      status: "uncertain",
      lastError: waiting.lastError,
    });

    h.brevo.eventsMisbehaviour = "cut";
    later(LOOKUP_RETRY_MS);
    await runOnce(h.worker);
    expect((await rowOf(summon.id)).status).toBe("uncertain");
    expect(smsTo(summon.phone)).toHaveLength(1);
    expect(lookupsOf(summon.id)).toHaveLength(2);

    h.brevo.eventsMisbehaviour = null;
    later(LOOKUP_RETRY_MS);
    await runOnce(h.worker);
    expect(await rowOf(summon.id)).toMatchObject({
      status: "sent",
      providerMessageId: String(sms!.messageId),
      attempts: 1,
      lastError: "",
    });
    later(24 * 3_600_000);
    await runOnce(h.worker);
    expect(smsTo(summon.phone)).toHaveLength(1);
  });

  it("too slow for the whole patience: no resend meanwhile, then resent once without an answer (documented)", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("late");
    await runOnce(h.worker);
    h.brevo.eventsMisbehaviour = "slow";
    const lines: string[] = [];
    const worker = { ...h.worker, log: (line: string) => lines.push(line) };

    later(UNCERTAIN_WAIT_MS);
    const patienceEnds = h.t.clock.now().getTime() + LOOKUP_PATIENCE_MS;
    while (h.t.clock.now().getTime() < patienceEnds) {
      await runOnce(worker);
      expect(smsTo(summon.phone)).toHaveLength(1);
      expect((await rowOf(summon.id)).status).toBe("uncertain");
      later(LOOKUP_RETRY_MS);
    }
    expect(lookupsOf(summon.id)).toHaveLength(LOOKUP_PATIENCE_MS / LOOKUP_RETRY_MS);
    expect(lines.some((line) => line.includes("Brevo timeout"))).toBe(true);

    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(2);
    expect(lines.some((line) => line.includes("renvoi unique sans confirmation"))).toBe(true);
    expect(await rowOf(summon.id)).toMatchObject({ status: "sent", uncertainSends: 1, attempts: 2 });
    later(24 * 3_600_000);
    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(2);
  });

  it("an SMS Brevo never took (no event) is resent once after the wait", async () => {
    const summon = await aBookedSummon("sms");
    // Brevo answers 500 without having queued it: uncertain, and its log has nothing.
    h.brevo.nextFailures.push({ status: 500, code: "error", message: "Internal error" });
    await runOnce(h.worker);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 1 });
    expect(smsTo(summon.phone)).toHaveLength(0);
    later(UNCERTAIN_WAIT_MS);
    await runOnce(h.worker);
    expect(lookupsOf(summon.id)).toHaveLength(1);
    expect(smsTo(summon.phone)).toHaveLength(1);
    expect(await rowOf(summon.id)).toMatchObject({ status: "sent", uncertainSends: 1, attempts: 2 });
  });

  it("the server stops during the question: no resend now, the SMS is asked about again at the next start", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextFailures.push({ status: 500, code: "error", message: "Internal error" });
    await runOnce(h.worker);
    const stopping = new AbortController();
    const brevo = h.worker.sms;
    const sms: SmsSender = {
      send: brevo.send,
      async lookup(query) {
        const traces = await brevo.lookup!(query);
        stopping.abort();
        return traces;
      },
    };
    later(UNCERTAIN_WAIT_MS);
    await runOnce({ ...h.worker, sms }, stopping.signal);
    expect(smsTo(summon.phone)).toHaveLength(0);
    const row = await rowOf(summon.id);
    expect(row).toMatchObject({ status: "uncertain", uncertainSends: 1, attempts: 1 });
    expect(row.notBefore.getTime()).toBe(h.t.clock.now().getTime());

    await runOnce(h.worker);
    expect(smsTo(summon.phone)).toHaveLength(1);
    expect(await rowOf(summon.id)).toMatchObject({ status: "sent", uncertainSends: 1 });
  });

  it("a hard bounce in the log ends it failed, never resent", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("cut");
    await runOnce({ ...h.worker, smsWebhookToken: null });
    const [sms] = smsTo(summon.phone);
    h.brevo.events.push({
      phoneNumber: sms!.recipient,
      date: h.t.clock.now().toISOString(),
      messageId: String(sms!.messageId),
      event: "hardBounce",
      tag: `notification-${summon.id}`,
    });
    later(UNCERTAIN_WAIT_MS);
    await runOnce(h.worker);
    expect(await rowOf(summon.id)).toMatchObject({
      status: "failed",
      lastError: "Numéro injoignable (refusé par l'opérateur).",
    });
    // The summon once (its reminder may be due within the day, depending on the slot booked).
    expect(smsTo(summon.phone).filter((s) => s.tag === `notification-${summon.id}`)).toHaveLength(1);
  });
});

describe("settling an uncertain SMS", () => {
  it("Brevo's `sent` event settles it (no resend); a hard bounce ends another as failed", async () => {
    const settled = await aBookedSummon("sms");
    const bounced = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("late", "cut");
    await runOnce(h.worker);
    const [first] = smsTo(settled.phone);
    const [second] = smsTo(bounced.phone);
    expect((await rowOf(settled.id)).status).toBe("uncertain");
    expect((await rowOf(bounced.id)).status).toBe("uncertain");

    expect(await h.brevo.report(first!.messageId, "sent")).toBe(200);
    expect(await h.brevo.report(second!.messageId, "hard_bounce")).toBe(200);
    expect(await rowOf(settled.id)).toMatchObject({
      status: "sent",
      providerMessageId: String(first!.messageId),
    });
    expect(await rowOf(bounced.id)).toMatchObject({ status: "failed" });

    later(UNCERTAIN_WAIT_MS);
    await runOnce(h.worker);
    expect(smsTo(settled.phone)).toHaveLength(1);
    expect(smsTo(bounced.phone)).toHaveLength(1);
  });

  it("a 500, 502 or 504 is uncertain (the SMS may have been queued); a 503 or 429 is retried", async () => {
    for (const status of [500, 502, 504]) {
      const summon = await aBookedSummon("sms");
      h.brevo.nextFailures.push({ status, code: "error", message: "Upstream error" });
      await runOnce(h.worker);
      const row = await rowOf(summon.id);
      expect(row, String(status)).toMatchObject({ status: "uncertain", uncertainSends: 1 });
      expect(row.lastError).toBe(
        `Envoi incertain, vérification avant un seul nouvel envoi : SMS : Le fournisseur d'envoi des SMS a répondu une erreur (code ${status}) : le SMS a pu être pris en charge.`,
      );
      expect(row.lastError).not.toContain("Upstream");
    }
    for (const status of [503, 429]) {
      const other = await aBookedSummon("sms");
      h.brevo.nextFailures.push({ status, code: "unavailable", message: "Try later" });
      await runOnce(h.worker);
      expect(await rowOf(other.id), String(status)).toMatchObject({ status: "pending", uncertainSends: 0 });
    }
  });

  it("an appointment cancelled during the wait: the cancellation is sent (the summon may have arrived), the summon is not resent", async () => {
    const summon = await aBookedSummon("sms");
    h.brevo.nextMisbehaviours.push("late");
    await runOnce(h.worker);
    expect((await rowOf(summon.id)).status).toBe("uncertain");

    const cancelled = await h.t.app.inject({
      method: "POST",
      url: `/api/convocations/${summon.convocationId}/status`,
      headers: await h.t.sessionFor(demo.cpip),
      payload: { status: "cancelled" },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    later(UNCERTAIN_WAIT_MS);
    await runOnce(h.worker);
    const rows = await h.t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.convocationId, summon.convocationId));
    expect(rows.map((r) => `${r.kind}/${r.status}`).sort()).toEqual(["cancellation/sent", "summon/skipped"]);
    expect(rows.find((r) => r.kind === "summon")?.lastError).toContain("Envoi précédent incertain");
    // The uncertain summon, then the cancellation: never the summon twice.
    expect(smsTo(summon.phone)).toHaveLength(2);
    expect(smsTo(summon.phone)[1]!.content).toContain("annul");
  });
});

describe("a send that throws something else than a SendError", () => {
  it("is uncertain (the request may have left): resent once, never five times", async () => {
    const summon = await aBookedSummon("sms");
    const brevo = h.worker.sms;
    // Brevo takes the SMS, then the client code breaks (a bug, an unexpected library exception).
    const broken: SmsSender = {
      async send(message) {
        await brevo.send(message);
        throw new TypeError("Cannot read properties of undefined (reading 'messageId')");
      },
    };
    const worker = { ...h.worker, sms: broken };
    await runOnce(worker);
    const first = await rowOf(summon.id);
    expect(first).toMatchObject({ status: "uncertain", uncertainSends: 1, attempts: 1 });
    // A bug's own words are not for agents (nor for the log).
    expect(first.lastError).toContain("erreur inattendue pendant l'envoi");
    expect(first.lastError).not.toContain("Cannot read properties");
    for (const minutes of [1, 5, 25, 125]) {
      later(minutes * MINUTE);
      await runOnce(worker);
    }
    // 156 minutes later: resent once after the 15-minute wait, then uncertain for good.
    expect(smsTo(summon.phone)).toHaveLength(2);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 2, attempts: 2 });
    later(24 * 60 * MINUTE);
    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(2);
  });
});

describe("recording a sent SMS fails once (PGlite: the fault is injected; for real on PostgreSQL in notifications.recording.pg.test.ts)", () => {
  it("only the recording is retried: one SMS, the row sent", async () => {
    const summon = await aBookedSummon("sms");
    const brevo = h.worker.sms;
    let armed = false;
    const db = new Proxy(h.worker.db, {
      get(target, property, receiver) {
        if (property === "update" && armed) {
          armed = false;
          return () => {
            throw Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const sms: SmsSender = {
      async send(message) {
        const result = await brevo.send(message);
        armed = true;
        return result;
      },
    };
    const worker = { ...h.worker, db, sms, recordRetryPausesMs: [10] };
    await runOnce(worker);
    expect(armed).toBe(false);
    expect(await rowOf(summon.id)).toMatchObject({ status: "sent", attempts: 1, uncertainSends: 0 });
    for (const minutes of [1, 5, 25, 125]) {
      later(minutes * MINUTE);
      await runOnce(worker);
    }
    // The summon once (its reminder may be due within the day, depending on the slot booked).
    expect(smsTo(summon.phone).filter((s) => s.tag === `notification-${summon.id}`)).toHaveLength(1);
  });
});

describe("a receipt that comes while the SMS is still `sending`", () => {
  it("settles it: delivered, the text sent kept, the worker's late recording a success", async () => {
    const summon = await aBookedSummon("sms");
    // The usual timeout: no timeout to hit on a busy machine.
    const brevo = brevoSmsSender({ apiUrl: h.brevo.apiUrl, apiKey: h.brevo.apiKey, sender: "FRServices" });
    const statuses: number[] = [];
    // Brevo reports the delivery before the worker recorded the send.
    const sms: SmsSender = {
      async send(message) {
        const result = await brevo.send(message);
        statuses.push(await h.brevo.report(Number(result.providerMessageId), "delivered"));
        return result;
      },
    };
    const lines: string[] = [];
    await runOnce({ ...h.worker, sms, log: (line) => lines.push(line) });
    expect(statuses).toEqual([200]);
    const row = await rowOf(summon.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 1, uncertainSends: 0 });
    expect(row.body).toBe(smsTo(summon.phone)[0]!.content);
    expect(lines.filter((line) => line.includes("enregistr"))).toEqual([]);
    for (const minutes of [6, UNCERTAIN_WAIT_MS / MINUTE, 24 * 60]) {
      later(minutes * MINUTE);
      await runOnce(h.worker);
    }
    expect(await rowOf(summon.id)).toMatchObject({ status: "delivered", uncertainSends: 0 });
    // The summon once (its reminder may be due within the day, depending on the slot booked).
    expect(smsTo(summon.phone).filter((s) => s.tag === `notification-${summon.id}`)).toHaveLength(1);
  });
});
