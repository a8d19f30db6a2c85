import { type AddressInfo, createServer } from "node:net";
import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { notification, person, service } from "../db/schema";
import { brevoSmsSender, type EmailSender, type SmsSender } from "../domains/notifications/providers";
import type { WorkerDeps } from "../domains/notifications/worker";
import { aPerson } from "./builders";
import { TEST_TODAY } from "./constants";
import { type FakeBrevo, startFakeBrevo } from "./fakeBrevo";
import { demo, SMS_WEBHOOK_TOKEN, startTestApp, type TestApp } from "./testApp";

/** Monday 1 June 2026, 11:00 in Paris: the clock of every outbox test. */
export const OUTBOX_START = new Date(`${TEST_TODAY}T09:00:00Z`);
/**
 * The Brevo client's timeout as its messages state it ("n'a pas répondu en 0.15 s") for a request
 * the fake is scripted to answer late (`late` send, `slow` event log). The fake holds that answer
 * and the client gives up once the fake has taken the request (`FakeBrevo.nextHold`), never before:
 * on a loaded machine 0.15 s can pass before the request even reaches the fake.
 */
export const BREVO_TIMEOUT_MS = 150;
/**
 * The client's real timeout for every other request, which the fake answers at once: on a loaded
 * machine (two cores, other test processes) an answer at once can take longer than 0.15 s, and a
 * healthy send must never be mistaken for a timed-out one.
 */
export const BREVO_PATIENT_TIMEOUT_MS = 15_000;
export const MINUTE = 60_000;

type NotificationRow = typeof notification.$inferSelect;

export interface OutboxHarness {
  t: TestApp;
  brevo: FakeBrevo;
  /** The real worker's dependencies: the fake Brevo on 127.0.0.1 and the given e-mail sender. */
  worker: WorkerDeps;
  /** A person referred by the demo CPIP, booked with an SMS or an email: its summon row. */
  aBookedSummon(channel: "sms" | "email"): Promise<{ id: string; phone: string; convocationId: string }>;
  rowOf(id: string): Promise<NotificationRow>;
  /** The SMS the fake Brevo took for this phone number. */
  smsTo(phone: string): FakeBrevo["sent"];
  later(ms: number): void;
  /** The direction's "SMS et courriels" log. */
  log(status?: string): Promise<LightMyRequestResponse>;
  /** Resets the clock and the fake's scripted answers (afterEach). */
  reset(): void;
  close(): Promise<void>;
}

/** The real app listening on 127.0.0.1 (receipts come back to it), and a fake Brevo. */
export async function startOutboxHarness(email: EmailSender): Promise<OutboxHarness> {
  const t = await startTestApp();
  const brevo = await startFakeBrevo();
  // Brevo's event log dates its events with the tests' clock.
  brevo.now = () => t.clock.now();
  const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  const worker: WorkerDeps = {
    db: t.handle.db,
    clock: t.clock,
    email,
    sms: scriptedTimeoutSmsSender(brevo),
    publicUrl: address,
    smsWebhookToken: SMS_WEBHOOK_TOKEN,
    log: () => {},
  };
  let personCounter = 0;

  const aBookedSummon: OutboxHarness["aBookedSummon"] = async (channel) => {
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
    const after = new Date(OUTBOX_START.getTime() + 3 * 3_600_000);
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
  };

  return {
    t,
    brevo,
    worker,
    aBookedSummon,
    rowOf: async (id) => (await t.handle.db.select().from(notification).where(eq(notification.id, id)))[0]!,
    smsTo: (phone) => brevo.sent.filter((s) => s.recipient === phone.replace("+", "")),
    later: (ms) => t.clock.set(new Date(t.clock.now().getTime() + ms)),
    log: async (status) =>
      t.app.inject({
        method: "GET",
        url: `/api/structures/${t.demoStructureId}/notifications${status ? `?status=${status}` : ""}`,
        headers: await t.sessionFor(demo.manager),
      }),
    reset: () => {
      t.clock.set(OUTBOX_START);
      brevo.nextMisbehaviours.length = 0;
      brevo.nextFailures.length = 0;
      brevo.eventsMisbehaviour = null;
      brevo.lookups.length = 0;
    },
    close: async () => {
      await brevo.close();
      await t.close();
    },
  };
}

/**
 * The real Brevo client to the fake. A send the fake will answer `late`, or a lookup while its event
 * log is `slow`, times out as soon as the fake holds it (a `TimeoutError`, as after BREVO_TIMEOUT_MS);
 * any other request has BREVO_PATIENT_TIMEOUT_MS. Sends are asked one at a time (the worker's
 * default concurrency), so the next send is the one the script applies to.
 */
function scriptedTimeoutSmsSender(brevo: FakeBrevo): SmsSender {
  const timedOutOnceHeld = (): AbortSignal => {
    const controller = new AbortController();
    void brevo.nextHold().then(() => controller.abort(new DOMException("no answer in time", "TimeoutError")));
    return controller.signal;
  };
  const client = { apiUrl: brevo.apiUrl, apiKey: brevo.apiKey, sender: "FRServices" };
  const impatient = brevoSmsSender({
    ...client,
    timeoutMs: BREVO_TIMEOUT_MS,
    timeoutSignal: timedOutOnceHeld,
  });
  const patient = brevoSmsSender({ ...client, timeoutMs: BREVO_PATIENT_TIMEOUT_MS });
  return {
    send: (message) => (brevo.nextSendIsLate ? impatient : patient).send(message),
    lookup: (query) => (brevo.eventsMisbehaviour === "slow" ? impatient : patient).lookup!(query),
  };
}

/** A port nothing listens on: a connection to it is refused before anything is sent. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
