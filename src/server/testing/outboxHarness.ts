import { type AddressInfo, createServer } from "node:net";
import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { notification, person, service } from "../db/schema";
import { brevoSmsSender, type EmailSender } from "../domains/notifications/providers";
import type { WorkerDeps } from "../domains/notifications/worker";
import { aPerson } from "./builders";
import { TEST_TODAY } from "./constants";
import { type FakeBrevo, startFakeBrevo } from "./fakeBrevo";
import { demo, SMS_WEBHOOK_TOKEN, startTestApp, type TestApp } from "./testApp";

/** Monday 1 June 2026, 11:00 in Paris: the clock of every outbox test. */
export const OUTBOX_START = new Date(`${TEST_TODAY}T09:00:00Z`);
/** The Brevo client's timeout in these tests; the fake answers `late` three times slower. */
export const BREVO_TIMEOUT_MS = 150;
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
  brevo.lateAnswerMs = 3 * BREVO_TIMEOUT_MS;
  // Brevo's event log dates its events with the tests' clock.
  brevo.now = () => t.clock.now();
  const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  const worker: WorkerDeps = {
    db: t.handle.db,
    clock: t.clock,
    email,
    sms: brevoSmsSender({
      apiUrl: brevo.apiUrl,
      apiKey: brevo.apiKey,
      sender: "FRServices",
      timeoutMs: BREVO_TIMEOUT_MS,
    }),
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

/** A port nothing listens on: a connection to it is refused before anything is sent. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
