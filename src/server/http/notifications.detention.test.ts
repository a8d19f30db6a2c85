import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { convocation, notification, person, site } from "../db/schema";
import { smtpEmailSender } from "../domains/notifications/providers";
import { HELD_ON_THE_DAY } from "../domains/notifications/reach";
import { runOnce } from "../domains/notifications/worker";
import { type OutboxHarness, startOutboxHarness } from "../testing/outboxHarness";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";
import { demo } from "../testing/testApp";

// The worker checks again, when it sends, that a convocation's message reaches the person (ADR 0028,
// addendum "messages"): a detention written without `followDetention` (here straight into the
// database, after the messages were queued) still keeps SMS and e-mail from a detainee.
let h: OutboxHarness;
let smtp: SmtpSink;
let prisonId: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startOutboxHarness(smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"));
  // A prison of the structure with no permanence: no slot is ever offered there.
  const [prison] = await h.t.handle.db
    .insert(site)
    .values({ structureId: h.t.demoStructureId, name: "Maison d'arrêt test", kind: "prison", address: "-" })
    .returning();
  prisonId = prison!.id;
});
afterEach(() => h.reset());
afterAll(async () => {
  h.worker.email.close();
  await h.close();
  await smtp.close();
});

/** Writes the detention straight into the file, as no use case would: `followDetention` never runs. */
const detainBehindTheOutboxsBack = async (
  convocationId: string,
  detention: { expectedReleaseDate?: string },
): Promise<string> => {
  const [c] = await h.t.handle.db.select().from(convocation).where(eq(convocation.id, convocationId));
  await h.t.handle.db
    .update(person)
    .set({ detentionSiteId: prisonId, expectedReleaseDate: detention.expectedReleaseDate ?? null })
    .where(eq(person.id, c!.personId));
  return c!.personId;
};

const emailOf = async (personId: string): Promise<string> =>
  (await h.t.handle.db.select().from(person).where(eq(person.id, personId)))[0]!.email!;

const timeline = async (personId: string): Promise<{ title: string; detail: string }[]> => {
  const response = await h.t.app.inject({
    method: "GET",
    url: `/api/people/${personId}/timeline`,
    headers: await h.t.sessionFor(demo.cpip),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().events;
};

describe("the worker checks again that a message reaches the person", () => {
  it("held on the convocation's day since it was queued: no SMS, no e-mail, the log and the history say why", async () => {
    const sms = await h.aBookedSummon("sms");
    const email = await h.aBookedSummon("email");
    const smsPerson = await detainBehindTheOutboxsBack(sms.convocationId, {});
    const emailPerson = await detainBehindTheOutboxsBack(email.convocationId, {});
    expect(await h.rowOf(sms.id)).toMatchObject({ status: "pending" });

    await runOnce(h.worker);

    expect(h.smsTo(sms.phone)).toHaveLength(0);
    const address = await emailOf(emailPerson);
    expect(smtp.mails.filter((m) => m.to === address)).toHaveLength(0);
    for (const id of [sms.id, email.id])
      expect(await h.rowOf(id)).toMatchObject({
        status: "skipped",
        lastError: HELD_ON_THE_DAY,
        sentAt: null,
      });

    const log = await h.log("skipped");
    expect(log.statusCode, log.body).toBe(200);
    const logged = log.json().notifications as { id: string; lastError: string }[];
    expect(logged.find((n) => n.id === sms.id)?.lastError).toBe(HELD_ON_THE_DAY);
    expect(logged.find((n) => n.id === email.id)?.lastError).toBe(HELD_ON_THE_DAY);
    // The history names the message's appointment, then why it did not leave.
    expect(
      (await timeline(smsPerson)).some(
        (e) => e.detail.startsWith("Rendez-vous du ") && e.detail.endsWith(` — ${HELD_ON_THE_DAY}`),
      ),
    ).toBe(true);

    // A later pass sends nothing either: the message is withheld for good, not retried.
    h.later(3_600_000);
    await runOnce(h.worker);
    expect(h.smsTo(sms.phone)).toHaveLength(0);
    expect(await h.rowOf(sms.id)).toMatchObject({ status: "skipped", attempts: 1 });
  });

  it("free as when it was queued: the SMS and the e-mail leave as usual", async () => {
    const sms = await h.aBookedSummon("sms");
    const email = await h.aBookedSummon("email");
    await runOnce(h.worker);
    expect(h.smsTo(sms.phone)).toHaveLength(1);
    const [c] = await h.t.handle.db.select().from(convocation).where(eq(convocation.id, email.convocationId));
    const address = await emailOf(c!.personId);
    expect(smtp.mails.filter((m) => m.to === address)).toHaveLength(1);
    expect(await h.rowOf(sms.id)).toMatchObject({ status: "sent" });
    expect(await h.rowOf(email.id)).toMatchObject({ status: "sent" });
  });

  it("held today, out before the appointment: the message waits for the release morning, then leaves once", async () => {
    const sms = await h.aBookedSummon("sms");
    // The appointment on Tuesday 9 June; the person held today, expected out on Friday 5 June.
    await h.t.handle.db
      .update(convocation)
      .set({ startsAt: new Date("2026-06-09T08:00:00Z"), endsAt: new Date("2026-06-09T08:30:00Z") })
      .where(eq(convocation.id, sms.convocationId));
    expect(
      await h.t.handle.db
        .select()
        .from(notification)
        .where(eq(notification.convocationId, sms.convocationId)),
    ).toHaveLength(1);
    const releaseDay = "2026-06-05";
    await detainBehindTheOutboxsBack(sms.convocationId, { expectedReleaseDate: releaseDay });

    await runOnce(h.worker);
    expect(h.smsTo(sms.phone)).toHaveLength(0);
    const waiting = await h.rowOf(sms.id);
    // 09:00 in Paris (summer time) on the release day, not counted as an attempt.
    expect(waiting).toMatchObject({ status: "pending", attempts: 0 });
    expect(waiting.notBefore.toISOString()).toBe(`${releaseDay}T07:00:00.000Z`);

    h.t.clock.set(waiting.notBefore);
    await runOnce(h.worker);
    await runOnce(h.worker);
    expect(h.smsTo(sms.phone)).toHaveLength(1);
    expect(await h.rowOf(sms.id)).toMatchObject({ status: "sent" });
  });
});
