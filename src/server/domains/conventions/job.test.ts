import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parisDay } from "../../../common/calendar";
import { registerJobs, runDueJobs } from "../../core/scheduler";
import { convention, conventionAlert } from "../../db/schema";
import { scheduledJobs } from "../../jobs";
import { type SmtpSink, startSmtpSink } from "../../testing/smtpSink";
import { demo, PUBLIC_URL, startTestApp, type TestApp } from "../../testing/testApp";
import { logSmsSender, smtpEmailSender } from "../notifications/providers";
import { runOnce, type WorkerDeps } from "../notifications/worker";
import { sendConventionAlerts } from "./job";

// Expiry alerts (ADR 0030): one e-mail to the direction per convention, end date and threshold,
// through the outbox, whatever the number of runs or instances.
let t: TestApp;
let smtp: SmtpSink;
let worker: WorkerDeps;
const DAY = 86_400_000;
const LABEL = "Convention de labellisation France services – structure itinérante SPIP 77";

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpSink();
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email: smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"),
    sms: logSmsSender(() => {}),
    publicUrl: PUBLIC_URL,
    smsWebhookToken: null,
    log: () => {},
  };
});
afterAll(async () => {
  worker.email.close();
  await smtp.close();
  await t.close();
});

const toDirection = () => smtp.mails.filter((m) => m.to === demo.manager);

describe("convention expiry alerts", () => {
  it("e-mails the direction once when a convention enters the delay, whatever the runs and instances", async () => {
    // The demo's label convention ends in 60 days (within the 90-day delay): one alert, the 90-day one.
    const runs = await Promise.all([
      sendConventionAlerts(t.handle.db, t.clock),
      sendConventionAlerts(t.handle.db, t.clock),
    ]);
    expect(runs[0] + runs[1]).toBe(1);
    await registerJobs(t.handle.db, scheduledJobs, t.clock.now());
    await runDueJobs({ db: t.handle.db, clock: t.clock, log: () => {} }, scheduledJobs);
    await runOnce(worker);
    const mails = toDirection();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Passerelle : convention à renouveler — ${LABEL}`);
    expect(mails[0]!.text.replace(/\u00a0/g, " ")).toContain("prend fin le 31 juillet 2026, dans 60 jours");
    const [label] = await t.handle.db.select().from(convention).where(eq(convention.title, LABEL));
    const sent = await t.handle.db
      .select()
      .from(conventionAlert)
      .where(eq(conventionAlert.conventionId, label!.id));
    expect(sent.map((a) => a.thresholdDays)).toEqual([90]);
  });

  it("again at 30 days and at the end, then nothing more; a renewal starts the thresholds again", async () => {
    t.clock.advance(29 * DAY);
    expect(await sendConventionAlerts(t.handle.db, t.clock)).toBe(0);
    t.clock.advance(1 * DAY);
    expect(await sendConventionAlerts(t.handle.db, t.clock)).toBe(1);
    expect(await sendConventionAlerts(t.handle.db, t.clock)).toBe(0);
    t.clock.advance(31 * DAY);
    expect(await sendConventionAlerts(t.handle.db, t.clock)).toBe(1);
    t.clock.advance(10 * DAY);
    expect(await sendConventionAlerts(t.handle.db, t.clock)).toBe(0);
    await runOnce(worker);
    expect(
      toDirection()
        .map((m) => m.subject)
        .sort(),
    ).toEqual([
      `Passerelle : convention expirée — ${LABEL}`,
      `Passerelle : convention à renouveler — ${LABEL}`,
      `Passerelle : convention à renouveler — ${LABEL}`,
    ]);
    const [label] = await t.handle.db.select().from(convention).where(eq(convention.title, LABEL));
    const renewed = await t.app.inject({
      method: "POST",
      url: `/api/conventions/${label!.id}/renew`,
      payload: { endsOn: "2026-10-15", renewedOn: parisDay(t.clock.now()) },
      headers: await t.sessionFor(demo.manager),
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    // The new end is 35 days away: within the delay again, the renewal alerts at once for the new end
    // date (in its transaction), and the job has nothing left to send.
    expect(await sendConventionAlerts(t.handle.db, t.clock)).toBe(0);
    const forNewEnd = await t.handle.db
      .select()
      .from(conventionAlert)
      .where(and(eq(conventionAlert.conventionId, label!.id), eq(conventionAlert.endsOn, "2026-10-15")));
    expect(forNewEnd.map((a) => a.thresholdDays)).toEqual([90]);
    await runOnce(worker);
    expect(toDirection()).toHaveLength(4);
  });
});
