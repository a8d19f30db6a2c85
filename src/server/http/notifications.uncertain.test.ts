import { type AddressInfo, createServer } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { notification, person, service } from "../db/schema";
import { brevoSmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { SendError, UNCERTAIN_WAIT_MS, UncertainSendError } from "../domains/notifications/rules";
import { claimDue, runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { aPerson } from "../testing/builders";
import { TEST_TODAY } from "../testing/constants";
import { type FakeBrevo, startFakeBrevo } from "../testing/fakeBrevo";
import { type CuttingSmtpServer, startCuttingSmtpServer } from "../testing/smtpSink";
import { demo, SMS_WEBHOOK_TOKEN, startTestApp, type TestApp } from "../testing/testApp";

// A send whose outcome is unknown is "maybe sent": uncertain, resent at most once, never five times.
let t: TestApp;
let brevo: FakeBrevo;
let cutSmtp: CuttingSmtpServer;
let worker: WorkerDeps;
const START = new Date(`${TEST_TODAY}T09:00:00Z`); // Monday 1 June 2026, 11:00 in Paris
const TIMEOUT_MS = 150;
const MINUTE = 60_000;

beforeAll(async () => {
  t = await startTestApp();
  [brevo, cutSmtp] = await Promise.all([startFakeBrevo(), startCuttingSmtpServer()]);
  brevo.lateAnswerMs = 3 * TIMEOUT_MS;
  const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email: smtpEmailSender(cutSmtp.url, "France services <ne-pas-repondre@test.invalid>"),
    sms: brevoSmsSender({
      apiUrl: brevo.apiUrl,
      apiKey: brevo.apiKey,
      sender: "FRServices",
      timeoutMs: TIMEOUT_MS,
    }),
    publicUrl: address,
    smsWebhookToken: SMS_WEBHOOK_TOKEN,
    log: () => {},
  };
});
afterEach(() => {
  t.clock.set(START);
  brevo.nextMisbehaviours.length = 0;
});
afterAll(async () => {
  await Promise.all([brevo.close(), cutSmtp.close()]);
  await t.close();
});

let personCounter = 0;

/** A person referred by the demo CPIP, booked tomorrow with an SMS or an email: its summon row. */
async function aBookedSummon(
  channel: "sms" | "email",
): Promise<{ id: string; phone: string; convocationId: string }> {
  personCounter += 1;
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  const created = await aPerson(t.handle.db, {
    structureId: t.demoStructureId,
    referentUserId: await t.userId(demo.cpip),
    referentServiceId: spip!.id,
  });
  const phone = `+336130000${String(personCounter).padStart(2, "0")}`;
  await t.handle.db
    .update(person)
    .set({ phone, email: `incertain${personCounter}@exemple.invalid` })
    .where(eq(person.id, created.id));
  const headers = await t.sessionFor(demo.cpip);
  const slots = await t.app.inject({
    method: "GET",
    url: `/api/structures/${t.demoStructureId}/slots?days=40&from=${TEST_TODAY}`,
    headers,
  });
  const after = new Date(START.getTime() + 3 * 3_600_000);
  const slot = (slots.json().slots as { siteId: string; startsAt: string; free: number }[]).find(
    (s) => s.free > 0 && new Date(s.startsAt) >= after,
  )!;
  const booked = await t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers,
    payload: {
      personId: created.id,
      siteId: slot.siteId,
      startsAt: slot.startsAt,
      needDomains: ["acces-aux-droits"],
      notifySms: channel === "sms",
      notifyEmail: channel === "email",
    },
  });
  expect(booked.statusCode, booked.body).toBe(200);
  const [row] = await t.handle.db
    .select()
    .from(notification)
    .where(eq(notification.convocationId, booked.json().id));
  return { id: row!.id, phone, convocationId: booked.json().id };
}

/** A port nothing listens on: a connection to it is refused before anything is sent. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const rowOf = async (id: string) =>
  (await t.handle.db.select().from(notification).where(eq(notification.id, id)))[0]!;
const smsTo = (phone: string) => brevo.sent.filter((s) => s.recipient === phone.replace("+", ""));
const later = (ms: number) => t.clock.set(new Date(t.clock.now().getTime() + ms));
const log = async (status?: string) =>
  t.app.inject({
    method: "GET",
    url: `/api/structures/${t.demoStructureId}/notifications${status ? `?status=${status}` : ""}`,
    headers: await t.sessionFor(demo.manager),
  });

describe("an SMS the provider answers after the timeout", () => {
  it("is uncertain, not resent before the wait, resent once after it, and never again", async () => {
    const summon = await aBookedSummon("sms");
    brevo.nextMisbehaviours.push("late", "late");

    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(1);
    const first = await rowOf(summon.id);
    expect(first).toMatchObject({ status: "uncertain", uncertainSends: 1, attempts: 1 });
    expect(first.lastError).toContain("Brevo n'a pas répondu");
    expect(first.notBefore.getTime()).toBe(START.getTime() + UNCERTAIN_WAIT_MS);

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
    const page = await log("uncertain");
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
    brevo.nextMisbehaviours.push("late");
    await runOnce(worker);
    const [sms] = smsTo(summon.phone);
    expect((await rowOf(summon.id)).status).toBe("uncertain");

    // The receipt address names the notification: we never learnt Brevo's messageId.
    expect(await brevo.report(sms!.messageId, "delivered")).toBe(200);
    expect(await rowOf(summon.id)).toMatchObject({
      status: "delivered",
      providerMessageId: String(sms!.messageId),
    });

    later(UNCERTAIN_WAIT_MS + MINUTE);
    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(1);
  });

  it("a connection cut after the request left is uncertain too; one refused before sending is retried", async () => {
    const summon = await aBookedSummon("sms");
    brevo.nextMisbehaviours.push("cut");
    await runOnce(worker);
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
  });
});

describe("settling an uncertain SMS", () => {
  it("Brevo's `sent` event settles it (no resend); a hard bounce ends another as failed", async () => {
    const settled = await aBookedSummon("sms");
    const bounced = await aBookedSummon("sms");
    brevo.nextMisbehaviours.push("late", "cut");
    await runOnce(worker);
    const [first] = smsTo(settled.phone);
    const [second] = smsTo(bounced.phone);
    expect((await rowOf(settled.id)).status).toBe("uncertain");
    expect((await rowOf(bounced.id)).status).toBe("uncertain");

    expect(await brevo.report(first!.messageId, "sent")).toBe(200);
    expect(await brevo.report(second!.messageId, "hard_bounce")).toBe(200);
    expect(await rowOf(settled.id)).toMatchObject({
      status: "sent",
      providerMessageId: String(first!.messageId),
    });
    expect(await rowOf(bounced.id)).toMatchObject({ status: "failed" });

    later(UNCERTAIN_WAIT_MS);
    await runOnce(worker);
    expect(smsTo(settled.phone)).toHaveLength(1);
    expect(smsTo(bounced.phone)).toHaveLength(1);
  });

  it("a 504 from a gateway is uncertain; a 503 is retried", async () => {
    const summon = await aBookedSummon("sms");
    brevo.nextFailures.push({ status: 504, code: "gateway_timeout", message: "Gateway Timeout" });
    await runOnce(worker);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 1 });

    const other = await aBookedSummon("sms");
    brevo.nextFailures.push({ status: 503, code: "unavailable", message: "Service Unavailable" });
    await runOnce(worker);
    expect(await rowOf(other.id)).toMatchObject({ status: "pending", uncertainSends: 0 });
  });

  it("an appointment cancelled during the wait: the cancellation is sent (the summon may have arrived), the summon is not resent", async () => {
    const summon = await aBookedSummon("sms");
    brevo.nextMisbehaviours.push("late");
    await runOnce(worker);
    expect((await rowOf(summon.id)).status).toBe("uncertain");

    const cancelled = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${summon.convocationId}/status`,
      headers: await t.sessionFor(demo.cpip),
      payload: { status: "cancelled" },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    later(UNCERTAIN_WAIT_MS);
    await runOnce(worker);
    const rows = await t.handle.db
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

describe("a worker that died mid-send", () => {
  it("leaves a sending row that becomes uncertain after the lease, is resent once after the wait, at most", async () => {
    const summon = await aBookedSummon("sms");
    // A worker claims the row, then dies before recording anything (kill -9).
    expect((await claimDue(t.handle.db, t.clock.now())).map((r) => r.id)).toContain(summon.id);

    later(6 * MINUTE);
    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(0);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 1 });

    later(UNCERTAIN_WAIT_MS);
    // The resend is claimed, and that worker dies too.
    expect((await claimDue(t.handle.db, t.clock.now())).map((r) => r.id)).toContain(summon.id);
    later(6 * MINUTE);
    await runOnce(worker);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 2 });

    later(24 * 3_600_000);
    await runOnce(worker);
    expect(smsTo(summon.phone)).toHaveLength(0);
    expect((await rowOf(summon.id)).status).toBe("uncertain");
  });
});

describe("an email whose SMTP session is cut after DATA", () => {
  it("is uncertain, carries a Message-ID derived from the notification, and is resent once with it", async () => {
    const summon = await aBookedSummon("email");
    const before = cutSmtp.received.length;
    await runOnce(worker);
    expect(cutSmtp.received).toHaveLength(before + 1);
    const row = await rowOf(summon.id);
    expect(row).toMatchObject({ status: "uncertain", uncertainSends: 1 });
    expect(row.lastError).toContain("connexion coupée");
    // Long headers are folded: compare unfolded.
    const messageId = `Message-ID: <notification-${summon.id}@test.invalid>`;
    const unfolded = () => cutSmtp.received.at(-1)!.replace(/\r?\n[ \t]+/g, " ");
    expect(unfolded()).toContain(messageId);

    later(UNCERTAIN_WAIT_MS);
    await runOnce(worker);
    expect(cutSmtp.received).toHaveLength(before + 2);
    expect(unfolded()).toContain(messageId);
    expect(await rowOf(summon.id)).toMatchObject({ status: "uncertain", uncertainSends: 2 });
    later(3_600_000);
    await runOnce(worker);
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
  it("counts messages ended uncertain with the failures (one failed in this file, alone below the threshold)", async () => {
    const summons = [await aBookedSummon("sms"), await aBookedSummon("sms"), await aBookedSummon("sms")];
    // Each dies twice mid-send: uncertain for good.
    for (let round = 0; round < 2; round += 1) {
      await claimDue(t.handle.db, t.clock.now());
      later(6 * MINUTE);
      await runOnce(worker);
      later(UNCERTAIN_WAIT_MS);
    }
    for (const summon of summons) expect((await rowOf(summon.id)).uncertainSends).toBe(2);
    const alerts = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.kind, "failure_alert"));
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0]!.body).toContain("sont en « envoi incertain »");
    expect((await log()).json().uncertainLast7Days).toBeGreaterThanOrEqual(3);
  });
});
