import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, convocation, notification, person, service, site, smsOptOut } from "../db/schema";
import { seedDemoDetention } from "../db/seed/demoDetention";
import { EXAMPLE_STOP_TOKEN } from "../domains/agenda/use-cases/PreviewConvocationMessages";
import { brevoSmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { aPerson } from "../testing/builders";
import { type FakeBrevo, startFakeBrevo } from "../testing/fakeBrevo";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";
import { demo, PUBLIC_URL, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The booking form's preview (ADR 0004, addendum « preview »): what the person would receive, by
 * the outbox's own rule and text, and nothing written. The test clock reads Monday 1 June 2026,
 * 11:00 in Paris; Meaux opens on Tuesdays 9:00–12:30.
 */
let t: TestApp;
let smtp: SmtpSink;
let brevo: FakeBrevo;
let worker: WorkerDeps;
let sites: Record<string, string>;
let spipId: string;
const PRISON = "Centre pénitentiaire de Meaux-Chauconin";

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoDetention(t.handle.db, new Date("2026-06-01T09:00:00Z"));
  [smtp, brevo] = await Promise.all([startSmtpSink(), startFakeBrevo()]);
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email: smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"),
    sms: brevoSmsSender({ apiUrl: brevo.apiUrl, apiKey: brevo.apiKey, sender: "FRServices" }),
    // The application's own address, as in production (main.ts): the stop links the preview shows.
    publicUrl: PUBLIC_URL,
    smsWebhookToken: null,
    log: () => {},
  };
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  spipId = spip!.id;
});
afterAll(async () => {
  worker.email.close();
  await Promise.all([smtp.close(), brevo.close()]);
  await t.close();
});

let n = 0;
async function aContactable(): Promise<{ id: string; phone: string; email: string }> {
  n += 1;
  const phone = `+336120077${String(n).padStart(2, "0")}`;
  const email = `apercu${n}@exemple.invalid`;
  const { id } = await aPerson(t.handle.db, {
    structureId: t.demoStructureId,
    referentUserId: await t.userId(demo.cpip),
    referentServiceId: spipId,
  });
  await t.handle.db.update(person).set({ phone, email }).where(eq(person.id, id));
  return { id, phone, email };
}

const choice = (personId: string, startsAt: string, extra: Record<string, unknown> = {}) => ({
  personId,
  siteId: sites.Meaux,
  startsAt,
  demarcheTypeIds: [],
  notifySms: true,
  notifyEmail: true,
  ...extra,
});
const preview = async (body: unknown, email: string | null = demo.cpip) =>
  t.app.inject({
    method: "POST",
    url: "/api/convocations/preview",
    headers: email ? await t.sessionFor(email) : {},
    payload: body as Record<string, unknown>,
  });
const book = async (body: Record<string, unknown>) =>
  t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers: await t.sessionFor(demo.cpip),
    payload: { ...body, needDomains: ["acces-aux-droits"], confirmSameHalfDay: true },
  });
const written = async () => ({
  notifications: (await t.handle.db.select({ n: count() }).from(notification))[0]!.n,
  convocations: (await t.handle.db.select({ n: count() }).from(convocation))[0]!.n,
  stopTokens: (await t.handle.db.select({ n: count() }).from(smsOptOut))[0]!.n,
});
type Preview = {
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  exampleStopLink: boolean;
};

describe("POST /api/convocations/preview", () => {
  it("401 anonymous, 403 to whom may not convoke the person, 404 out of sight, 400 listing every bad field, nothing written", async () => {
    const someone = await aContactable();
    const body = choice(someone.id, "2026-06-02T07:00:00.000Z");
    const before = await written();
    expect((await preview(body, null)).statusCode).toBe(401);
    // Another CPIP of the service reads the file but does not convoke; a counselor never saw the person.
    expect((await preview(body, demo.cpip2)).statusCode).toBe(403);
    expect((await preview(body, demo.partner)).statusCode).toBe(403);
    expect((await preview(body, demo.counselor)).statusCode).toBe(404);
    expect((await preview({ ...body, personId: "00000000-0000-4000-8000-000000000000" })).statusCode).toBe(
      404,
    );
    const bad = await preview({ personId: someone.id, siteId: "", startsAt: "demain", notifySms: "oui" });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.notifyEmail", "body.notifySms", "body.siteId", "body.startsAt"]);
    expect(await written()).toEqual(before);
  });

  it("is what the outbox sends for the same convocation: e-mail subject and text, SMS to the stop link", async () => {
    const someone = await aContactable();
    const body = choice(someone.id, "2026-06-02T08:00:00.000Z");
    const before = await written();
    const seen = await preview(body);
    expect(seen.statusCode, seen.body).toBe(200);
    // Nothing sent nor stored, not even the stop token; the read of the person's contacts journaled.
    expect(await written()).toEqual(before);
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.requestId, String(seen.headers["x-request-id"])));
    expect(journal).toMatchObject([{ action: "person.data_read", targetId: someone.id, outcome: "success" }]);
    const shown = seen.json() as { throughEstablishment: boolean; messages: Preview[] };
    expect(shown.throughEstablishment).toBe(false);
    expect(shown.messages.map((m) => [m.channel, m.recipient])).toEqual([
      ["sms", someone.phone],
      ["email", someone.email],
    ]);
    const sms = shown.messages[0]!;
    const mail = shown.messages[1]!;
    expect(sms).toMatchObject({ subject: "", exampleStopLink: true });
    expect(sms.body).toContain("France services : rendez-vous le mardi 2 juin 2026 à 10 h 00, Meaux");
    expect(sms.body.endsWith(`STOP SMS : ${PUBLIC_URL}/stop/${EXAMPLE_STOP_TOKEN}`)).toBe(true);
    expect(mail).toMatchObject({ subject: "Votre rendez-vous France services du mardi 2 juin 2026" });

    const booked = await book(body);
    expect(booked.statusCode, booked.body).toBe(200);
    expect(await runOnce(worker)).toBe(2);
    const received = smtp.mails.find((m) => m.to === someone.email)!;
    expect(received.subject).toBe(mail.subject);
    expect(received.text.trimEnd()).toBe(mail.body);
    const [sent] = brevo.sent.filter((s) => s.recipient === someone.phone.replace("+", ""));
    const [token] = await t.handle.db.select().from(smsOptOut).where(eq(smsOptOut.personId, someone.id));
    // The example link of the preview, the person's own once the first SMS made it: nothing else differs.
    expect(sent!.content).toBe(sms.body.replace(EXAMPLE_STOP_TOKEN, token!.token));

    // Once the person has their stop link, the preview shows it: the SMS to the character.
    const again = choice(someone.id, "2026-06-09T07:00:00.000Z", { notifyEmail: false });
    const second = (await preview(again)).json().messages as Preview[];
    expect(second.map((m) => [m.channel, m.exampleStopLink])).toEqual([["sms", false]]);
    expect((await book(again)).statusCode).toBe(200);
    expect(await runOnce(worker)).toBe(1);
    const texts = brevo.sent
      .filter((s) => s.recipient === someone.phone.replace("+", ""))
      .map((s) => s.content);
    expect(texts.at(-1)).toBe(second[0]!.body);
  });

  it("a channel not chosen or without contact is not shown; a detainee gets nothing, whatever is chosen", async () => {
    const someone = await aContactable();
    const at = "2026-06-04T07:00:00.000Z";
    const none = await preview(choice(someone.id, "2026-06-02T09:00:00.000Z", { notifySms: false }));
    expect((none.json().messages as Preview[]).map((m) => m.channel)).toEqual(["email"]);
    const held = await t.app.inject({
      method: "PUT",
      url: `/api/people/${someone.id}`,
      headers: await t.sessionFor(demo.cpip),
      payload: {
        detention: { prisonNumber: "77-26-0101", siteId: sites[PRISON], expectedReleaseDate: "2026-06-10" },
      },
    });
    expect(held.statusCode, held.body).toBe(200);
    const inside = await preview(choice(someone.id, at, { siteId: sites[PRISON] }));
    expect(inside.statusCode, inside.body).toBe(200);
    expect(inside.json()).toEqual({ throughEstablishment: true, messages: [] });
  });
});
