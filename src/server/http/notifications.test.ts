import { and, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatLongDate, formatShortDateTime, withPlainSpaces } from "../../common/dateFormat";
import { convocation, notification, person, service, smsOptOut } from "../db/schema";
import { newStopToken } from "../domains/notifications/compose";
import { brevoSmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { MAX_STOP_LINK_FAILURES_PER_IP } from "../domains/notifications/use-cases/SmsFeedback";
import { claimDue, runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { aPerson } from "../testing/builders";
import { TEST_TODAY } from "../testing/constants";
import { type FakeBrevo, startFakeBrevo } from "../testing/fakeBrevo";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";
import { demo, PUBLIC_URL, SMS_WEBHOOK_TOKEN, startTestApp, type TestApp } from "../testing/testApp";
import { buildApp } from "./app";

let t: TestApp;
let smtp: SmtpSink;
let brevo: FakeBrevo;
let worker: WorkerDeps;
const START = new Date(`${TEST_TODAY}T09:00:00Z`); // Monday 1 June 2026, 11:00 in Paris

beforeAll(async () => {
  t = await startTestApp();
  [smtp, brevo] = await Promise.all([startSmtpSink(), startFakeBrevo()]);
  // The app listens for real so the fake provider can post its receipts to it.
  const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email: smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"),
    sms: brevoSmsSender({ apiUrl: brevo.apiUrl, apiKey: brevo.apiKey, sender: "FRServices" }),
    publicUrl: address,
    smsWebhookToken: SMS_WEBHOOK_TOKEN,
    log: () => {},
  };
});
afterEach(() => t.clock.set(START));
afterAll(async () => {
  worker.email.close();
  await Promise.all([smtp.close(), brevo.close()]);
  await t.close();
});

const as = (email: string) => t.sessionFor(email);
let personCounter = 0;

/** A new person referred by the demo CPIP, with a phone and an email unless told otherwise. */
async function aContactablePerson(contact: { phone?: string; email?: string } = {}) {
  personCounter += 1;
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  const created = await aPerson(t.handle.db, {
    structureId: t.demoStructureId,
    referentUserId: await t.userId(demo.cpip),
    referentServiceId: spip!.id,
  });
  const values = {
    phone: contact.phone ?? `+336120000${String(personCounter).padStart(2, "0")}`,
    email: contact.email ?? `personne${personCounter}@exemple.invalid`,
  };
  // Opened now by the test's clock (the builder lets the database date it).
  await t.handle.db
    .update(person)
    .set({ ...values, createdAt: t.clock.now() })
    .where(eq(person.id, created.id));
  return { id: created.id, ...values };
}

/** The first free slot at or after `after`. */
async function freeSlot(after: Date, personId: string): Promise<{ siteId: string; startsAt: string }> {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/structures/${t.demoStructureId}/slots?days=40&from=${after.toISOString().slice(0, 10)}&personId=${personId}`,
    headers: await as(demo.cpip),
  });
  const slot = (response.json().slots as { siteId: string; startsAt: string; free: number }[]).find(
    (s) => s.free > 0 && new Date(s.startsAt) >= after,
  );
  if (!slot) throw new Error("no free slot");
  return { siteId: slot.siteId, startsAt: slot.startsAt };
}

async function book(
  personId: string,
  choice: { sms: boolean; email: boolean },
  after = new Date(START.getTime() + 3 * 3_600_000),
) {
  const slot = await freeSlot(after, personId);
  return t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers: await as(demo.cpip),
    payload: {
      personId,
      ...slot,
      needDomains: ["acces-aux-droits"],
      notifySms: choice.sms,
      notifyEmail: choice.email,
      // The first free slot, whatever else the person has that half-day (agenda.sameHalfDay.test.ts).
      confirmSameHalfDay: true,
    },
  });
}

const outbox = (convocationId: string) =>
  t.handle.db.select().from(notification).where(eq(notification.convocationId, convocationId));

const setStatus = async (convocationId: string, status: string) =>
  t.app.inject({
    method: "POST",
    url: `/api/convocations/${convocationId}/status`,
    headers: await as(demo.cpip),
    payload: { status },
  });

/** Moves a convocation to the first free slot two days later, with an SMS. */
const rescheduleInTwoDays = async (convocationId: string) => {
  const [moved] = await t.handle.db
    .select({ personId: convocation.personId })
    .from(convocation)
    .where(eq(convocation.id, convocationId));
  return t.app.inject({
    method: "POST",
    url: `/api/convocations/${convocationId}/reschedule`,
    headers: await as(demo.cpip),
    payload: {
      ...(await freeSlot(new Date(START.getTime() + 2 * 86_400_000), moved!.personId)),
      notifySms: true,
      notifyEmail: false,
    },
  });
};

const smsTo = (phone: string) => brevo.sent.filter((s) => s.recipient === phone.replace("+", ""));

describe("convocation messages through the outbox", () => {
  it("a booking sends the SMS to the provider and the email to the SMTP server; the receipt marks the SMS received", async () => {
    const someone = await aContactablePerson();
    const booked = await book(someone.id, { sms: true, email: true });
    expect(booked.statusCode, booked.body).toBe(200);
    const rows = await outbox(booked.json().id);
    // The appointment is tomorrow: sooner than the 48 h reminder, so the summon is the only message.
    expect(rows.map((r) => `${r.kind}/${r.channel}/${r.status}`).sort()).toEqual([
      "summon/email/pending",
      "summon/sms/pending",
    ]);

    expect(await runOnce(worker)).toBe(2);
    const [sms] = smsTo(someone.phone);
    const startsAt = new Date(booked.json().startsAt);
    // The app's date family, with plain spaces (GSM-7): "lundi 1er juin 2026".
    const day = withPlainSpaces(formatLongDate(startsAt));
    expect(day).toMatch(/^\p{L}+ \d+(?:er)? \p{L}+ 2\d{3}$/u);
    expect(sms).toMatchObject({ sender: "FRServices", type: "transactional" });
    expect(sms!.content).toContain(day);
    expect(sms!.content).toMatch(new RegExp(`STOP SMS : ${worker.publicUrl}/stop/[A-Za-z0-9]{12}$`));
    const smsRow = rows.find((r) => r.channel === "sms")!;
    // Brevo has no idempotency key: the notification id travels in the tag and the receipt address.
    expect(sms!.webUrl).toBe(
      `${worker.publicUrl}/api/webhooks/sms/${SMS_WEBHOOK_TOKEN}?notification=${smsRow.id}`,
    );
    expect(sms!.tag).toBe(`notification-${smsRow.id}`);
    const mail = smtp.mails.find((m) => m.to === someone.email);
    expect(mail?.subject).toBe(`Votre rendez-vous France services du ${day}`);
    expect(mail?.text).toContain("À apporter : une pièce d'identité");
    const emailRow = rows.find((r) => r.channel === "email")!;
    expect(mail?.messageId).toBe(`<notification-${emailRow.id}@test.invalid>`);

    const list = await t.app.inject({
      method: "GET",
      url: "/api/people?mine=true",
      headers: await as(demo.cpip),
    });
    expect(list.json().people.find((p: { id: string }) => p.id === someone.id)?.nextConvocationAt).toBe(
      booked.json().startsAt,
    );

    expect(await brevo.report(sms!.messageId, "delivered")).toBe(200);
    const after = await outbox(booked.json().id);
    expect(after.find((r) => r.channel === "sms")).toMatchObject({
      status: "delivered",
      providerMessageId: String(sms!.messageId),
    });
    expect(after.find((r) => r.channel === "email")?.status).toBe("sent");
    expect(await runOnce(worker)).toBe(0);
  });

  it("the reminder leaves 48 h before the appointment, and is withdrawn if the appointment is cancelled", async () => {
    const someone = await aContactablePerson();
    const booked = await book(
      someone.id,
      { sms: true, email: false },
      new Date(START.getTime() + 6 * 86_400_000),
    );
    const startsAt = new Date(booked.json().startsAt);
    const reminder = (await outbox(booked.json().id)).find((r) => r.kind === "reminder");
    expect(reminder?.notBefore).toEqual(new Date(startsAt.getTime() - 48 * 3_600_000));
    await runOnce(worker);
    expect(smsTo(someone.phone)).toHaveLength(1);

    t.clock.set(new Date(startsAt.getTime() - 48 * 3_600_000));
    await runOnce(worker);
    expect(smsTo(someone.phone).map((s) => s.content.slice(0, 6))).toEqual(["France", "Rappel"]);

    const other = await aContactablePerson();
    t.clock.set(START);
    const second = await book(
      other.id,
      { sms: true, email: false },
      new Date(START.getTime() + 6 * 86_400_000),
    );
    await runOnce(worker);
    expect((await setStatus(second.json().id, "cancelled")).statusCode).toBe(200);
    const rows = await outbox(second.json().id);
    expect(rows.find((r) => r.kind === "reminder")).toMatchObject({ status: "skipped" });
    expect(rows.find((r) => r.kind === "cancellation")).toMatchObject({ status: "pending", channel: "sms" });
    await runOnce(worker);
    expect(smsTo(other.phone).map((s) => s.content)).toEqual([
      expect.stringContaining("rendez-vous le"),
      expect.stringContaining("est annulé"),
    ]);
  });

  it("nothing is sent about an appointment cancelled before its summon left", async () => {
    const someone = await aContactablePerson();
    const booked = await book(someone.id, { sms: true, email: true });
    await setStatus(booked.json().id, "excused");
    const rows = await outbox(booked.json().id);
    expect(rows.every((r) => r.status === "skipped")).toBe(true);
    expect(rows.some((r) => r.kind === "cancellation")).toBe(false);
    await runOnce(worker);
    expect(smsTo(someone.phone)).toEqual([]);
  });

  it("a rescheduled appointment sends the new date, not a cancellation", async () => {
    const someone = await aContactablePerson();
    const booked = await book(someone.id, { sms: true, email: false });
    await runOnce(worker);
    const moved = await rescheduleInTwoDays(booked.json().id);
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await outbox(booked.json().id)).map((r) => r.kind)).toEqual(["summon"]);
    await runOnce(worker);
    expect(smsTo(someone.phone).map((s) => s.content)).toEqual([
      expect.stringContaining("rendez-vous le"),
      expect.stringContaining("est déplacé au"),
    ]);
  });

  it("an appointment moved before its summon left is announced as a plain convocation", async () => {
    const someone = await aContactablePerson();
    const booked = await book(someone.id, { sms: true, email: false });
    const moved = await rescheduleInTwoDays(booked.json().id);
    expect((await outbox(booked.json().id)).map((r) => `${r.kind}/${r.status}`)).toEqual(["summon/skipped"]);
    expect((await outbox(moved.json().id)).map((r) => r.kind).sort()).toEqual(["reminder", "summon"]);
    await runOnce(worker);
    expect(smsTo(someone.phone).map((s) => s.content)).toEqual([expect.stringContaining(": rendez-vous le")]);
  });

  it("a missed appointment is announced only when the structure chose so", async () => {
    const someone = await aContactablePerson();
    const booked = await book(someone.id, { sms: false, email: true });
    await runOnce(worker);
    t.clock.set(new Date(new Date(booked.json().startsAt).getTime() + 3_600_000));
    expect((await setStatus(booked.json().id, "missed")).statusCode).toBe(200);
    expect((await outbox(booked.json().id)).map((r) => r.kind)).toEqual(["summon"]);

    const settings = (notifyMissed: boolean) => ({
      reminderHours: 48,
      notifyMissed,
      quietFrom: "20:00",
      quietTo: "08:00",
      preparationUrl: "",
      letterhead: "",
      measureAlertDays: 60,
      notSeenWeeks: 8,
    });
    const saved = await t.app.inject({
      method: "PUT",
      url: `/api/structures/${t.demoStructureId}/notification-settings`,
      headers: await as(demo.manager),
      payload: settings(true),
    });
    expect(saved.statusCode).toBe(200);
    t.clock.set(START);
    const second = await book(someone.id, { sms: false, email: true });
    t.clock.set(new Date(new Date(second.json().startsAt).getTime() + 3_600_000));
    await setStatus(second.json().id, "missed");
    await runOnce(worker);
    expect(smtp.mails.filter((m) => m.to === someone.email).map((m) => m.subject)).toContainEqual(
      expect.stringMatching(/^Rendez-vous France services manqué le/),
    );
    await t.app.inject({
      method: "PUT",
      url: `/api/structures/${t.demoStructureId}/notification-settings`,
      headers: await as(demo.manager),
      payload: settings(false),
    });
  });

  it("no SMS leaves at night: it waits for the end of quiet hours, the email does not", async () => {
    const someone = await aContactablePerson();
    t.clock.set(new Date("2026-06-01T19:30:00Z")); // 21:30 in Paris
    const booked = await book(someone.id, { sms: true, email: true }, new Date("2026-06-02T06:00:00Z"));
    expect(booked.statusCode, booked.body).toBe(200);
    await runOnce(worker);
    const sms = (await outbox(booked.json().id)).find((r) => r.channel === "sms");
    expect(sms).toMatchObject({
      status: "pending",
      attempts: 0,
      notBefore: new Date("2026-06-02T06:00:00Z"),
    });
    expect(smtp.mails.some((m) => m.to === someone.email)).toBe(true);
    expect(smsTo(someone.phone)).toEqual([]);
    t.clock.set(new Date("2026-06-02T06:00:00Z"));
    await runOnce(worker);
    expect(smsTo(someone.phone)).toHaveLength(1);
  });
});

describe("stop link, contacts and bad input", () => {
  it("unknown stop links from one address are refused (429) past the cap, without looking; others still work", async () => {
    // A token as the first SMS creates it (no booking: the later tests count on the free slots).
    const someone = await aContactablePerson();
    const token = newStopToken();
    await t.deps.db.insert(smsOptOut).values({ personId: someone.id, token });
    const stop = (payload: object, ip: string) =>
      t.app.inject({ method: "POST", url: "/api/public/sms-stop", payload, remoteAddress: ip });
    for (let i = 0; i < MAX_STOP_LINK_FAILURES_PER_IP; i++)
      expect((await stop({ token: `Inconnu${String(i).padStart(8, "0")}` }, "10.9.8.7")).statusCode).toBe(
        404,
      );
    const refused = await stop({ token }, "10.9.8.7");
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe("notification.tooManyStopLinks");
    expect(refused.headers["retry-after"]).toBeDefined();
    const [optOut] = await t.deps.db.select().from(smsOptOut).where(eq(smsOptOut.personId, someone.id));
    expect(optOut?.optedOutAt).toBeNull();
    expect((await stop({ token }, "10.9.8.8")).statusCode).toBe(200);
  });

  it("the stop link records the opt-out (journaled) and later SMS are not sent; emails still are", async () => {
    const someone = await aContactablePerson();
    await book(someone.id, { sms: true, email: false });
    await runOnce(worker);
    const token = smsTo(someone.phone)[0]!.content.split("/stop/")[1]!;
    const stop = (payload: object) => t.app.inject({ method: "POST", url: "/api/public/sms-stop", payload });
    expect((await stop({ token: "../etc" })).statusCode).toBe(400);
    expect((await stop({ token: "Inconnu12345678" })).json().code).toBe("notification.unknownStopLink");
    expect((await stop({ token })).statusCode).toBe(200);
    expect((await stop({ token })).statusCode).toBe(200);

    const again = await book(someone.id, { sms: true, email: true });
    const rows = await outbox(again.json().id);
    expect(rows.find((r) => r.channel === "sms")).toMatchObject({
      status: "skipped",
      lastError: "La personne a demandé à ne plus recevoir de SMS.",
    });
    await runOnce(worker);
    expect(smsTo(someone.phone)).toHaveLength(1);
    expect(smtp.mails.filter((m) => m.to === someone.email)).toHaveLength(1);
    const journal = await t.app.inject({
      method: "GET",
      url: `/api/audit?structureId=${t.demoStructureId}&action=person.sms_opt_out`,
      headers: await as(demo.manager),
    });
    expect(journal.json().events.map((e: { targetId: string }) => e.targetId)).toContain(someone.id);
  });

  it("a person without phone cannot be sent an SMS: 400, nothing written", async () => {
    const someone = await aContactablePerson();
    await t.handle.db.update(person).set({ phone: "" }).where(eq(person.id, someone.id));
    const before = await t.handle.db.select().from(convocation).where(eq(convocation.personId, someone.id));
    const refused = await book(someone.id, { sms: true, email: false });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe("convocation.noPhone");
    const noMail = await book(someone.id, { sms: false, email: true });
    await t.handle.db.update(person).set({ email: "" }).where(eq(person.id, someone.id));
    expect(noMail.statusCode).toBe(200);
    const refusedMail = await book(someone.id, { sms: false, email: true });
    expect(refusedMail.json().code).toBe("convocation.noEmail");
    const after = await t.handle.db.select().from(convocation).where(eq(convocation.personId, someone.id));
    expect(after.length).toBe(before.length + 1);
    // A letter only: booking without any message works.
    expect((await book(someone.id, { sms: false, email: false })).statusCode).toBe(200);
  });

  it("receipts need the secret address; an unknown message id is acknowledged and changes nothing", async () => {
    const receipt = (token: string, body: object) =>
      t.app.inject({ method: "POST", url: `/api/webhooks/sms/${token}`, payload: body });
    expect((await receipt("wrong-secret", { messageId: 1, msg_status: "delivered" })).statusCode).toBe(404);
    expect((await receipt(SMS_WEBHOOK_TOKEN, { msg_status: "delivered" })).statusCode).toBe(400);
    expect((await receipt(SMS_WEBHOOK_TOKEN, { messageId: 42, msg_status: "delivered" })).statusCode).toBe(
      200,
    );
    const delivered = await t.handle.db
      .select()
      .from(notification)
      .where(and(eq(notification.providerMessageId, "42")));
    expect(delivered).toEqual([]);
  });
});

const summonOf = async (convocationId: string) =>
  (await outbox(convocationId)).find((row) => row.kind === "summon");
/** Far enough not to take the slots the later tests expect near START. */
const FAR = new Date(START.getTime() + 20 * 86_400_000);

describe("receipts while the database is unavailable", () => {
  it("answer 429 with Retry-After (Brevo retries only that), and the receipt sent again is recorded", async () => {
    const someone = await aContactablePerson();
    const booked = await book(someone.id, { sms: true, email: false }, FAR);
    await runOnce(worker);
    const row = await summonOf(booked.json().id);
    expect(row!.status).toBe("sent");
    // The database as during a restart: every write fails as node-postgres reports a dropped connection.
    const down = new Proxy(t.deps.db, {
      get(target, property, receiver) {
        if (property === "update")
          return () => {
            throw new Error("Failed query: update notification …", {
              cause: new Error("Connection terminated unexpectedly"),
            });
          };
        return Reflect.get(target, property, receiver);
      },
    });
    const app = await buildApp({ deps: { ...t.deps, db: down }, publicUrl: PUBLIC_URL });
    const payload = { messageId: Number(row!.providerMessageId), msg_status: "delivered" };
    const url = `/api/webhooks/sms/${SMS_WEBHOOK_TOKEN}?notification=${row!.id}`;
    const during = await app.inject({ method: "POST", url, payload });
    await app.close();
    expect(during.statusCode).toBe(429);
    expect(during.headers["retry-after"]).toBe("30");
    expect(during.json()).toMatchObject({ code: "notification.receiptLater" });
    expect((await summonOf(booked.json().id))!.status).toBe("sent");

    const after = await t.app.inject({ method: "POST", url, payload });
    expect(after.statusCode).toBe(200);
    expect((await summonOf(booked.json().id))!.status).toBe("delivered");
  });
});

describe("SMTP refusals that are the relay's, not the recipient's", () => {
  for (const [what, refuse, expected] of [
    [
      "554 at the greeting",
      { connections: 1, mailFrom: 0 },
      "Courriel : Le serveur d'envoi des courriels a refusé la connexion (code 554).",
    ],
    [
      "553 at MAIL FROM",
      { connections: 0, mailFrom: 1 },
      "Courriel : Le serveur d'envoi des courriels a refusé l'expéditeur (code 553).",
    ],
  ] as const) {
    it(`${what}: retried a minute later like a 4xx, never a bounce; sent once the relay recovers`, async () => {
      await runOnce(worker); // the earlier tests' messages due now: the refusal is for this one
      const someone = await aContactablePerson();
      const booked = await book(someone.id, { sms: false, email: true }, FAR);
      // A new connection, as after the relay's restart (an idle kept one would not be greeted again).
      worker.email.close();
      Object.assign(smtp.refuse, refuse);
      await runOnce(worker);
      expect(smtp.refuse).toEqual({ connections: 0, mailFrom: 0 });
      const first = await summonOf(booked.json().id);
      expect(first).toMatchObject({ status: "pending", attempts: 1, lastError: expected });
      expect(smtp.mails.filter((m) => m.to === someone.email)).toHaveLength(0);

      t.clock.set(new Date(START.getTime() + 61_000));
      await runOnce(worker);
      expect(await summonOf(booked.json().id)).toMatchObject({
        status: "sent",
        attempts: 2,
        lastError: "",
      });
      expect(smtp.mails.filter((m) => m.to === someone.email)).toHaveLength(1);
    });
  }

  it("550 at RCPT TO is the recipient's: failed at once, said in French without the server's words", async () => {
    const someone = await aContactablePerson();
    smtp.rejectRecipients.add(someone.email);
    const booked = await book(someone.id, { sms: false, email: true }, FAR);
    await runOnce(worker);
    const row = await summonOf(booked.json().id);
    expect(row).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "Courriel : Adresse refusée par le serveur de messagerie (code 550).",
    });
  });
});

describe("provider errors, retries and alerts", () => {
  it("retries a temporary error later, ends a permanent one as failed", async () => {
    const someone = await aContactablePerson();
    const booked = await book(someone.id, { sms: true, email: false });
    brevo.nextFailures.push({ status: 503, code: "service_unavailable", message: "Try later" });
    await runOnce(worker);
    const [first] = await outbox(booked.json().id);
    expect(first).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "SMS : Le fournisseur d'envoi des SMS est momentanément indisponible (code 503).",
    });
    expect(first!.notBefore).toEqual(new Date(START.getTime() + 60_000));
    t.clock.set(new Date(START.getTime() + 61_000));
    await runOnce(worker);
    expect((await outbox(booked.json().id))[0]).toMatchObject({ status: "sent", attempts: 2 });

    const other = await aContactablePerson();
    const second = await book(other.id, { sms: true, email: false });
    brevo.nextFailures.push({ status: 400, code: "invalid_parameter", message: "Invalid recipient" });
    await runOnce(worker);
    expect((await outbox(second.json().id))[0]).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "SMS : Numéro ou texte refusé par le fournisseur d'envoi des SMS (code 400).",
    });
  });

  it("repeated failures alert the direction by email once, and show in the log", async () => {
    const before = smtp.mails.filter((m) => m.to === demo.manager).length;
    for (let i = 0; i < 4; i += 1) {
      const someone = await aContactablePerson();
      if (i < 2) smtp.rejectRecipients.add(someone.email);
      else {
        const booked = await book(someone.id, { sms: true, email: false });
        await runOnce(worker);
        const [row] = await outbox(booked.json().id);
        expect(await brevo.report(Number(row!.providerMessageId), "hard_bounce")).toBe(200);
        continue;
      }
      await book(someone.id, { sms: false, email: true });
      await runOnce(worker);
    }
    await runOnce(worker);
    const alerts = smtp.mails.filter((m) => m.to === demo.manager).slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toBe(
      "Passerelle : des SMS ou courriels de convocation n'ont pas pu être envoyés",
    );
    expect(alerts[0]?.text).not.toMatch(/exemple\.invalid|\+33/);

    const log = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/notifications?status=failed`,
      headers: await as(demo.manager),
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().failedLast7Days).toBeGreaterThanOrEqual(4);
    expect(log.json().notifications[0]).toMatchObject({
      status: "failed",
      personName: expect.stringMatching(/^PERSONNE-/),
    });
    expect(log.json().notifications.map((n: { lastError: string }) => n.lastError)).toContainEqual(
      "Numéro injoignable (refusé par l'opérateur).",
    );
  });

  it("two workers running at once never send the same message twice", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      structureId: t.demoStructureId,
      kind: "failure_alert" as const,
      channel: "email" as const,
      recipient: `parallele${i}@exemple.invalid`,
      notBefore: START,
      subject: `Parallèle ${i}`,
      body: "Test",
    }));
    await t.handle.db.insert(notification).values(rows);
    const second = await t.handle.openSecondPool();
    try {
      const handled = await Promise.all([runOnce(worker), runOnce({ ...worker, db: second.db })]);
      expect(handled[0] + handled[1]).toBe(30);
    } finally {
      await second.close();
    }
    const received = smtp.mails.filter((m) => m.to.startsWith("parallele")).map((m) => m.to);
    expect(received).toHaveLength(30);
    expect(new Set(received).size).toBe(30);
  });

  // PostgreSQL only: PGlite is one in-process connection, two claims cannot overlap there.
  if (process.env.TEST_DB_DRIVER === "pg") {
    it("a claim skips, without waiting, the rows another instance holds (FOR UPDATE SKIP LOCKED)", async () => {
      await t.handle.db.insert(notification).values(
        Array.from({ length: 6 }, (_, i) => ({
          structureId: t.demoStructureId,
          kind: "failure_alert" as const,
          channel: "email" as const,
          recipient: `verrou${i}@exemple.invalid`,
          notBefore: START,
        })),
      );
      const second = await t.handle.openSecondPool();
      try {
        await t.handle.db.transaction(async (tx) => {
          const mine = await claimDue(tx, START, 3);
          const blocked = new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error("the second claim waited for the first")), 5_000),
          );
          const theirs = await Promise.race([claimDue(second.db, START, 3), blocked]);
          expect(mine).toHaveLength(3);
          expect(theirs).toHaveLength(3);
          expect(theirs.filter((row) => mine.some((m) => m.id === row.id))).toEqual([]);
        });
      } finally {
        await second.close();
      }
    });
  }
});

describe("templates, settings and log routes", () => {
  const templateUrl = (kind: string, channel: string) =>
    `/api/structures/${t.demoStructureId}/notification-templates/${kind}/${channel}`;

  it("401, 403 for a CPIP, 400 on unknown placeholders or an SMS over two segments", async () => {
    const put = async (body: object, email?: string, url = templateUrl("summon", "sms")) =>
      t.app.inject({ method: "PUT", url, payload: body, headers: email ? await as(email) : {} });
    expect((await put({ subject: "", body: "x" })).statusCode).toBe(401);
    expect((await put({ subject: "", body: "x" }, demo.cpip)).statusCode).toBe(403);
    expect(
      (await put({ subject: "", body: "x" }, demo.manager, templateUrl("summon", "fax"))).statusCode,
    ).toBe(400);
    const unknown = await put(
      { subject: "", body: "Bonjour {prenom}, le {date} ({infraction})" },
      demo.manager,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues).toEqual([
      { path: "body.body", message: "Variable non autorisée : {prenom} et {infraction}." },
    ]);
    const long = await put(
      { subject: "", body: `Rendez-vous le {date}. ${"Texte trop long. ".repeat(20)}` },
      demo.manager,
    );
    expect(long.statusCode).toBe(400);
    expect(long.json().issues[0].message).toMatch(/^SMS trop long : 3 SMS/);
    const noSubject = await put(
      { subject: "", body: "Le {date}" },
      demo.manager,
      templateUrl("summon", "email"),
    );
    expect(noSubject.json().issues[0]).toEqual({
      path: "body.subject",
      message: "Un courriel doit avoir un objet.",
    });
  });

  it("a saved template is what the next person receives", async () => {
    const saved = await t.app.inject({
      method: "PUT",
      url: templateUrl("summon", "sms"),
      headers: await as(demo.manager),
      payload: {
        subject: "ignored",
        body: "RDV France services le {date} à {heure} - {lieu}. Tél. {telephone}",
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ isDefault: false, subject: "" });
    const config = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/notification-config`,
      headers: await as(demo.manager),
    });
    const summonSms = config
      .json()
      .templates.find((x: { kind: string; channel: string }) => x.kind === "summon" && x.channel === "sms");
    expect(summonSms.isDefault).toBe(false);
    expect(config.json().settings.reminderHours).toBe(48);
    const someone = await aContactablePerson();
    await book(someone.id, { sms: true, email: false });
    await runOnce(worker);
    expect(smsTo(someone.phone)[0]?.content).toMatch(
      /^RDV France services le \w+ \d+(?:er)? \w+ 2026 à \d+ h \d\d - /,
    );
  });

  it("settings: 400 on a wrong hour or delay, nothing written", async () => {
    const response = await t.app.inject({
      method: "PUT",
      url: `/api/structures/${t.demoStructureId}/notification-settings`,
      headers: await as(demo.manager),
      payload: {
        reminderHours: 500,
        notifyMissed: false,
        quietFrom: "25:00",
        quietTo: "08:00",
        preparationUrl: "pas une url",
        letterhead: "1\n2\n3\n4\n5\n6\n7",
        measureAlertDays: 60,
        notSeenWeeks: 8,
      },
    });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.letterhead", "body.preparationUrl", "body.quietFrom", "body.reminderHours"]);
    const config = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/notification-config`,
      headers: await as(demo.manager),
    });
    expect(config.json().settings.quietFrom).toBe("20:00");
  });

  it("the log is the direction's only, and reading it is journaled", async () => {
    const url = `/api/structures/${t.demoStructureId}/notifications`;
    expect((await t.app.inject({ method: "GET", url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url, headers: await as(demo.counselor) })).statusCode).toBe(
      403,
    );
    expect(
      (await t.app.inject({ method: "GET", url: `${url}?status=lost`, headers: await as(demo.manager) }))
        .statusCode,
    ).toBe(400);
    const log = await t.app.inject({
      method: "GET",
      url: `${url}?channel=sms`,
      headers: await as(demo.manager),
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().notifications.length).toBeGreaterThan(5);
    expect(log.json().notifications.every((n: { channel: string }) => n.channel === "sms")).toBe(true);
    const journal = await t.app.inject({
      method: "GET",
      url: `/api/audit?structureId=${t.demoStructureId}&action=notification.log_read`,
      headers: await as(demo.manager),
    });
    // The row names the people listed and the filter that selected them.
    const listed = log.json().notifications as { id: string }[];
    const people = await t.handle.db
      .select({ personId: notification.personId })
      .from(notification)
      .where(
        inArray(
          notification.id,
          listed.map((n) => n.id),
        ),
      );
    const personIds = [...new Set(people.flatMap((p) => (p.personId ? [p.personId] : [])))];
    expect(personIds.length).toBeGreaterThan(1);
    const [row] = journal.json().events as { targetType: string; targetId: string; reason: string }[];
    expect(row!.targetType).toBe("person");
    expect(row!.targetId.split(",").sort()).toEqual(personIds.slice(0, 50).sort());
    // In words: whose log, which filters (no id, no code).
    expect(row!.reason).toMatch(/^Messages (?:de|du|des|d') ?.+ : tous les statuts, canal « SMS » ; /);
    expect(row!.reason).not.toContain(t.demoStructureId);
    expect(row!.reason).toContain(`${listed.length} messages ; ${personIds.length} personnes`);
  });
});

describe("GET /api/people/:personId/timeline", () => {
  it("401, 403 steering, 400 bad id; shows bookings, statuses and messages, newest first, to the counselor too", async () => {
    const someone = await aContactablePerson();
    const url = `/api/people/${someone.id}/timeline`;
    expect((await t.app.inject({ method: "GET", url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url, headers: await as(demo.steering) })).statusCode).toBe(
      403,
    );
    expect(
      (await t.app.inject({ method: "GET", url: "/api/people/x/timeline", headers: await as(demo.cpip) }))
        .statusCode,
    ).toBe(400);
    const booked = await book(someone.id, { sms: true, email: false });
    await runOnce(worker);
    t.clock.advance(60_000);
    await setStatus(booked.json().id, "cancelled");
    t.clock.advance(60_000);
    await runOnce(worker);
    const response = await t.app.inject({ method: "GET", url, headers: await as(demo.counselor) });
    expect(response.statusCode).toBe(200);
    const events = response.json().events as { title: string; detail: string; actorName: string | null }[];
    expect(events.map((e) => e.title)).toEqual([
      "SMS « Annulation » : envoyé",
      "Rendez-vous annulé par le service",
      "SMS « Convocation » : envoyé",
      "Convocation enregistrée",
      "Dossier créé",
    ]);
    expect(events[1]).toMatchObject({
      actorName: "Camille Martin",
      detail: expect.stringMatching(/^Rendez-vous du /),
    });
    const journal = await t.app.inject({
      method: "GET",
      url: `/api/audit?structureId=${t.demoStructureId}&action=person.timeline_read`,
      headers: await as(demo.manager),
    });
    expect(journal.json().events[0].targetId).toBe(someone.id);
  });

  it("a message's row says when it was sent, or its state (waiting, failed), and names its convocation", async () => {
    const someone = await aContactablePerson();
    // Five days ahead: the summon leaves now, the reminder 48 h before the appointment.
    const booked = await book(
      someone.id,
      { sms: true, email: false },
      new Date(START.getTime() + 5 * 86_400_000),
    );
    expect(booked.statusCode, booked.body).toBe(200);
    const { id, startsAt, siteName } = booked.json();
    t.clock.advance(10 * 60_000);
    await runOnce(worker);
    const sentAt = t.clock.now().toISOString();
    const events = async () =>
      (
        await t.app.inject({
          method: "GET",
          url: `/api/people/${someone.id}/timeline`,
          headers: await as(demo.cpip),
        })
      ).json().events as { at: string; atLabel?: string | null; title: string; detail: string }[];
    const appointment = `Rendez-vous du ${withPlainSpaces(formatLongDate(startsAt))} à `;
    const summon = (await events()).find((e) => e.title === "SMS « Convocation » : envoyé");
    // Sent ten minutes after it was queued: the time it was sent.
    expect(summon).toMatchObject({ at: sentAt, atLabel: null });
    expect(summon?.detail).toContain(appointment);
    expect(summon?.detail).toContain(`, ${siteName}`);
    // The reminder, due 48 h before the appointment: placed then, first of the history (newest first).
    const [queued] = await t.handle.db
      .select({ notBefore: notification.notBefore })
      .from(notification)
      .where(and(eq(notification.convocationId, id), eq(notification.kind, "reminder")));
    const reminderAt = queued!.notBefore.toISOString();
    expect(reminderAt > t.clock.now().toISOString()).toBe(true);
    const [first] = await events();
    expect(first).toMatchObject({
      title: "SMS « Rappel » : prévu",
      at: reminderAt,
      atLabel: `Prévu le ${formatShortDateTime(reminderAt)}`,
    });
    expect(first?.detail).toContain(appointment);
    expect(first?.detail).not.toContain("Départ prévu");

    // The reminder ends failed (never sent): its state, with the provider's reason.
    await t.handle.db
      .update(notification)
      .set({ status: "failed", failedAt: t.clock.now(), lastError: "numéro injoignable" })
      .where(and(eq(notification.convocationId, id), eq(notification.kind, "reminder")));
    const failed = (await events()).find((e) => e.title === "SMS « Rappel » : échec");
    expect(failed).toMatchObject({ atLabel: "Échec" });
    expect(failed?.detail).toContain(appointment);
    expect(failed?.detail).toContain("numéro injoignable");
    expect(failed?.detail).not.toContain("Départ prévu");
  });
});
