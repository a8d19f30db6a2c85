/**
 * `BENCH_ONLY=newsletter npm run bench` (also the last case of the demo suite): a newsletter issue
 * sent to 2,000 subscribed partner contacts (ADR 0032), on an in-memory PGlite or on PostgreSQL when
 * BENCH_DATABASE_URL is set (a scratch database). Measures the time to queue the issue (one
 * transaction: 2,000 deliveries and outbox rows, each with its own unsubscribe link) and the outbox
 * worker's send rate to a local SMTP server (smtp-server, parsing every message). Baseline of the
 * same run: 2,000 plain-text agent notices queued and sent through the same outbox and SMTP server.
 * Each kind is sent in two parts: the first FORMER messages as before issue 15's change (one SMTP
 * connection per message, one message at a time), the rest as the server now sends them
 * (OUTBOX_CONCURRENCY messages at once over kept connections, its default unless set).
 */
import { performance } from "node:perf_hooks";
import { eq, inArray } from "drizzle-orm";
import { fakeClock } from "../src/server/core/clock";
import { loadConfig } from "../src/server/core/config";
import type { RequestContext } from "../src/server/core/context";
import type { Deps } from "../src/server/core/deps";
import { createDb } from "../src/server/db/createDb";
import { directoryContact, notification, structure, user } from "../src/server/db/schema";
import { seedDemo } from "../src/server/db/seed/demo";
import { loadMemberships } from "../src/server/domains/identity/store";
import { createIssue } from "../src/server/domains/newsletter/use-cases/Issues";
import { sendIssue } from "../src/server/domains/newsletter/use-cases/SendIssue";
import { enqueueAgentNotices } from "../src/server/domains/notifications/outbox";
import { logSmsSender, smtpEmailSender } from "../src/server/domains/notifications/providers";
import { runOnce, type WorkerDeps } from "../src/server/domains/notifications/worker";
import { aForumAndAConvention, someContacts } from "../src/server/testing/newsletterFixtures";
import { startSmtpSink } from "../src/server/testing/smtpSink";

const RECIPIENTS = 2_000;
/** Messages of each kind sent the former way (one connection per message, one at a time). */
const FORMER = 300;
const CONCURRENCY = loadConfig(process.env).OUTBOX_CONCURRENCY;
const url = process.env.BENCH_DATABASE_URL;
const handle = url ? await createDb({ driver: "pg", url }) : await createDb({ driver: "pglite" });
await handle.migrate();
const now = new Date("2026-06-01T07:00:00Z");
const seeded = await handle.db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
if (seeded.length === 0) await seedDemo(handle.db, now);
const [fs77] = await handle.db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
const structureId = fs77!.id;
const clock = fakeClock(now);
const deps: Deps = {
  db: handle.db,
  clock,
  config: {
    SESSION_IDLE_MINUTES: 30,
    SESSION_ABSOLUTE_HOURS: 12,
    PUBLIC_URL: "http://localhost:3000",
    SMS_WEBHOOK_TOKEN: undefined,
    EXPORT_TIMEOUT_MS: loadConfig({}).EXPORT_TIMEOUT_MS,
  },
};
const [manager] = await handle.db.select().from(user).where(eq(user.email, "direction@demo.passerelle.fr"));
const ctx: RequestContext = {
  actor: {
    userId: manager!.id,
    displayName: "Direction",
    memberships: await loadMemberships(handle.db, manager!.id),
  },
  requestId: "bench-newsletter",
  ip: "127.0.0.1",
  clock,
};
const smtp = await startSmtpSink();
const from = "France services <ne-pas-repondre@bench.invalid>";
const workerWith = (email: WorkerDeps["email"], concurrency: number): WorkerDeps => ({
  db: handle.db,
  clock,
  email,
  sms: logSmsSender(() => {}),
  publicUrl: "http://localhost:3000",
  smsWebhookToken: null,
  log: () => {},
  concurrency,
});
const former = workerWith(smtpEmailSender(smtp.url, from, { connections: 1, messagesPerConnection: 1 }), 1);
const kept = workerWith(smtpEmailSender(smtp.url, from, { connections: CONCURRENCY }), CONCURRENCY);

/** Sends the rows `ids` with `worker`, the others of `all` put off; e-mails per second. */
async function drainPart(worker: WorkerDeps, ids: string[], all: string[]): Promise<number> {
  const now = new Set(ids);
  const later = all.filter((id) => !now.has(id));
  const off = new Date(clock.now().getTime() + 3_600_000);
  for (let start = 0; start < later.length; start += 1000)
    await handle.db
      .update(notification)
      .set({ notBefore: off })
      .where(inArray(notification.id, later.slice(start, start + 1000)));
  const start = performance.now();
  while ((await runOnce(worker)) > 0) {}
  const seconds = (performance.now() - start) / 1000;
  const sent = await handle.db
    .select({ status: notification.status })
    .from(notification)
    .where(inArray(notification.id, ids));
  const ok = sent.filter((s) => s.status === "sent").length;
  if (ok !== ids.length) throw new Error(`only ${ok} of ${ids.length} sent`);
  clock.advance(3_600_001);
  return ids.length / seconds;
}

/** The former way for the first FORMER rows, the current way for the rest. */
async function drain(ids: string[]): Promise<{ former: number; kept: number }> {
  const formerRate = await drainPart(former, ids.slice(0, FORMER), ids);
  const keptRate = await drainPart(kept, ids.slice(FORMER), ids.slice(FORMER));
  return { former: formerRate, kept: keptRate };
}

// Baseline: the same number of plain agent notices through the same outbox and SMTP server.
const baselineQueueStart = performance.now();
await handle.db.transaction((tx) =>
  enqueueAgentNotices(tx, {
    structureId,
    kind: "agent_alert",
    recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({
      id: manager!.id,
      email: `agent${i}@bench.invalid`,
    })),
    subject: "Alerte de test",
    body: "Un message court, sans lien ni HTML.",
    now,
  }),
);
const baselineQueueMs = performance.now() - baselineQueueStart;
const baselineIds = (
  await handle.db
    .select({ id: notification.id })
    .from(notification)
    .where(eq(notification.kind, "agent_alert"))
).map((r) => r.id);
const baselineRate = await drain(baselineIds);

// The demo's own subscribed contacts are left out: the issue goes to RECIPIENTS contacts exactly.
await handle.db.update(directoryContact).set({ newsletterSubscribed: false });
await someContacts(handle.db, structureId, RECIPIENTS);
await aForumAndAConvention(handle.db, structureId, now);
const draft = await createIssue(deps, ctx, structureId, {
  title: "Lettre de performance",
  blocks: [
    {
      type: "text",
      markdown: "Bonjour,\n\n**Le forum emploi** arrive : https://www.france-services.gouv.fr",
    },
    { type: "upcoming_actions", weeks: 6 },
    { type: "conventions", since: null },
    { type: "key_figures", quarter: "2026-Q1" },
  ],
});
const queueStart = performance.now();
await sendIssue(deps, ctx, draft.id, RECIPIENTS);
const queueMs = performance.now() - queueStart;
const newsletterIds = (
  await handle.db
    .select({ id: notification.id })
    .from(notification)
    .where(eq(notification.kind, "newsletter"))
).map((r) => r.id);
const newsletterRate = await drain(newsletterIds);

console.log(
  `\nNewsletter to ${RECIPIENTS} contacts (${url ? "PostgreSQL" : "PGlite"}), SMTP sink on 127.0.0.1:`,
);
console.log(
  `  queue the issue (one transaction): ${(queueMs / 1000).toFixed(2)} s — baseline, ${RECIPIENTS} plain notices queued: ${(baselineQueueMs / 1000).toFixed(2)} s (×${(queueMs / baselineQueueMs).toFixed(1)})`,
);
const rate = (r: number): string => `${r.toFixed(0)} e-mails/s`;
console.log(
  `  outbox send rate, ${CONCURRENCY} at once over kept connections: ${rate(newsletterRate.kept)} — baseline, plain notices: ${rate(baselineRate.kept)} (ratio ${(newsletterRate.kept / baselineRate.kept).toFixed(2)})`,
);
console.log(
  `  the former way (one connection per message, one at a time), first ${FORMER} of each: newsletter ${rate(newsletterRate.former)}, plain notices ${rate(baselineRate.former)} (ratio ${(newsletterRate.former / baselineRate.former).toFixed(2)})`,
);
console.log(
  `  speed-up of the kept connections: newsletter ×${(newsletterRate.kept / newsletterRate.former).toFixed(1)}, plain notices ×${(baselineRate.kept / baselineRate.former).toFixed(1)}`,
);
console.log(`  ${RECIPIENTS} newsletters sent in ${(RECIPIENTS / newsletterRate.kept).toFixed(0)} s`);
former.email.close();
kept.email.close();
await smtp.close();
await handle.close();
