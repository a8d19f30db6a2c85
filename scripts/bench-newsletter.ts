/**
 * `BENCH_ONLY=newsletter npm run bench` (also the last case of the demo suite): a newsletter issue
 * sent to 2,000 subscribed partner contacts (ADR 0032), on an in-memory PGlite or on PostgreSQL when
 * BENCH_DATABASE_URL is set (a scratch database). Measures the time to queue the issue (one
 * transaction: 2,000 deliveries and outbox rows, each with its own unsubscribe link) and the outbox
 * worker's send rate to a local SMTP server (smtp-server, parsing every message). Baseline of the
 * same run: 2,000 plain-text agent notices queued and sent through the same outbox and SMTP server.
 */
import { performance } from "node:perf_hooks";
import { eq, inArray } from "drizzle-orm";
import { fakeClock } from "../src/server/core/clock";
import { loadConfig } from "../src/server/core/config";
import type { RequestContext } from "../src/server/core/context";
import type { Deps } from "../src/server/core/deps";
import { createDb } from "../src/server/db/createDb";
import { notification, structure, user } from "../src/server/db/schema";
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
const worker: WorkerDeps = {
  db: handle.db,
  clock,
  email: smtpEmailSender(smtp.url, "France services <ne-pas-repondre@bench.invalid>"),
  sms: logSmsSender(() => {}),
  publicUrl: "http://localhost:3000",
  smsWebhookToken: null,
  log: () => {},
};

async function drain(ids: string[]): Promise<number> {
  const start = performance.now();
  while ((await runOnce(worker)) > 0) {}
  const seconds = (performance.now() - start) / 1000;
  const sent = await handle.db
    .select({ status: notification.status })
    .from(notification)
    .where(inArray(notification.id, ids));
  const ok = sent.filter((s) => s.status === "sent").length;
  if (ok !== ids.length) throw new Error(`only ${ok} of ${ids.length} sent`);
  return ids.length / seconds;
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
console.log(
  `  outbox send rate: ${newsletterRate.toFixed(0)} e-mails/s — baseline, plain notices: ${baselineRate.toFixed(0)} e-mails/s (ratio ${(newsletterRate / baselineRate).toFixed(2)})`,
);
console.log(`  ${RECIPIENTS} newsletters sent in ${(RECIPIENTS / newsletterRate).toFixed(0)} s`);
worker.email.close();
await smtp.close();
await handle.close();
