import { and, asc, count, eq, gt, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Clock } from "../../core/clock";
import { errorForLog, isDatabaseUnavailable } from "../../core/dbErrors";
import { claimOfDeadInstance, type Liveness } from "../../core/liveness";
import { type Poller, pollEvery } from "../../core/poller";
import type { Db } from "../../db/createDb";
import { notification } from "../../db/schema";
import { withOneTimeLink } from "../identity/accountNotices";
import { activeAgentsWithRole } from "../structures/queries";
import { type Composed, composeConvocationMessage, failureAlertMessage, type Links } from "./compose";
import { checkBeforeResend } from "./lookup";
import { countFailures, enqueueAgentNotices } from "./outbox";
import type { EmailSender, SendResult, SmsSender } from "./providers";
import {
  type PendingRecords,
  recordDataEnd,
  recordFailure,
  recordLookupVerdict,
  recordOutcome,
  recordSent,
  stillClaimed,
} from "./record";
import {
  ALERT_WINDOW_MS,
  type AttemptOutcome,
  afterExpiredLease,
  CLAIM_LEASE_MS,
  FAILURES_BEFORE_ALERT,
  MAX_UNCERTAIN_SENDS,
  retryDelayMs,
  uncertainForGood,
} from "./rules";

export interface WorkerDeps {
  db: Db;
  clock: Clock;
  email: EmailSender;
  sms: SmsSender;
  publicUrl: string;
  /** Secret of the receipt address; null: no receipt asked. */
  smsWebhookToken: string | null;
  log: (line: string) => void;
  /** Pauses between tries to record a known outcome (default RECORD_RETRY_PAUSES_MS, the last repeats). */
  recordRetryPausesMs?: readonly number[];
  /**
   * Recordings retried in the background, beyond the pass (`startWorker` keeps one set and waits
   * for it when it stops). Without it, `runOnce` waits for its own before it returns.
   */
  pendingRecords?: PendingRecords;
  /** Messages of a claimed batch sent at once (default 1: one after the other). */
  concurrency?: number;
  /**
   * When this process started, if no other process can use the database meanwhile (PGlite: the
   * data directory is locked to one process, ADR 0026). A row claimed before it belongs to a
   * process that is gone (killed, crashed): its lease is over at once, not after CLAIM_LEASE_MS.
   */
  soleInstanceSince?: Date;
  /**
   * This process's liveness (`core/liveness.ts`): its claims name it, and a claim of an instance
   * judged dead is over at once, not after CLAIM_LEASE_MS (ADR 0004, addendum 2026-12-05).
   */
  liveness?: Liveness;
}

type NotificationRow = typeof notification.$inferSelect;
const BATCH = 20;
const links = (deps: WorkerDeps): Links => ({ publicUrl: deps.publicUrl });

/**
 * Claims due notifications: one UPDATE over a `FOR UPDATE SKIP LOCKED` sub-select, so two
 * instances never claim the same row. Due are pending rows, and uncertain rows whose wait for a
 * receipt is over and that were not resent yet (their only resend).
 */
export async function claimDue(
  db: Db,
  now: Date,
  limit = BATCH,
  /** The claiming instance (`Liveness.id`), if it has one. */
  claimedBy: string | null = null,
): Promise<NotificationRow[]> {
  const due = db
    .select({ id: notification.id })
    .from(notification)
    .where(
      or(
        and(eq(notification.status, "pending"), lte(notification.notBefore, now)),
        and(
          eq(notification.status, "uncertain"),
          lt(notification.uncertainSends, MAX_UNCERTAIN_SENDS),
          lte(notification.notBefore, now),
        ),
      ),
    )
    .orderBy(asc(notification.notBefore))
    .limit(limit)
    .for("update", { skipLocked: true });
  return (
    db
      .update(notification)
      // The end-of-data marker belongs to one claim (ADR 0004, addendum 2026-12-04).
      .set({
        status: "sending",
        claimedAt: now,
        claimedBy,
        attempts: sql`${notification.attempts} + 1`,
        dataEndAt: null,
      })
      .where(inArray(notification.id, due))
      .returning()
  );
}

/**
 * A `sending` row whose claim is older than the lease belongs to a worker that died mid-send, or
 * that could not record the outcome for as long (the database unavailable for minutes); so does a
 * row claimed before this process started when it is the database's only user
 * (`WorkerDeps.soleInstanceSince`: a restart after a crash sends again without waiting the lease),
 * and a row claimed by an instance judged dead (`WorkerDeps.liveness`, `claimOfDeadInstance`)
 * (`rules.ts#afterExpiredLease`): an SMS may have left, so it is uncertain (looked up, resent once
 * at most), not plainly retried; an e-mail without its end-of-data marker never reached the relay
 * whole and goes back to `pending`; with it, it is ended uncertain, never sent again.
 */
export async function expireLeases(deps: WorkerDeps): Promise<number> {
  const now = deps.clock.now();
  const leaseStart = new Date(
    Math.max(now.getTime() - CLAIM_LEASE_MS, deps.soleInstanceSince?.getTime() ?? Number.NEGATIVE_INFINITY),
  );
  const expired = await deps.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(notification)
      .where(
        and(
          eq(notification.status, "sending"),
          or(
            lt(notification.claimedAt, leaseStart),
            deps.liveness ? claimOfDeadInstance(notification.claimedBy, deps.liveness) : undefined,
          ),
        ),
      )
      .limit(BATCH)
      .for("update", { skipLocked: true });
    const outcomes: { row: NotificationRow; outcome: AttemptOutcome }[] = [];
    for (const row of rows) {
      const outcome = afterExpiredLease(row, now);
      await tx.update(notification).set(outcome).where(eq(notification.id, row.id));
      outcomes.push({ row, outcome });
    }
    return outcomes;
  });
  for (const { row, outcome } of expired) {
    if (outcome.status !== "uncertain") {
      deps.log(
        `Notification ${row.id} (${row.channel}) : envoi interrompu avant la fin du message, remise en file`,
      );
      continue;
    }
    deps.log(`Notification ${row.id} (${row.channel}) : envoi interrompu, incertain`);
    if (row.convocationId && uncertainForGood(outcome.uncertainSends))
      await alertDirectionIfNeeded(deps.db, row.structureId, now, links(deps));
  }
  return expired.length;
}

async function compose(deps: WorkerDeps, row: NotificationRow, now: Date): Promise<Composed> {
  // Notices to agents are written when queued and name nobody.
  if (row.kind === "account_notice") {
    // A one-time link (activation, new password) is minted now, for this send only.
    const minted = await withOneTimeLink(deps.db, {
      userId: row.recipientUserId,
      body: row.body,
      publicUrl: deps.publicUrl,
      now,
    });
    if ("skip" in minted) return { action: "skip", reason: minted.skip };
    return { action: "send", subject: row.subject, body: minted.body };
  }
  if (["failure_alert", "orientation_sent", "invitation", "newsletter", "agent_alert"].includes(row.kind))
    return { action: "send", subject: row.subject, body: row.body };
  if (!row.convocationId) return { action: "skip", reason: "Message sans convocation." };
  return composeConvocationMessage(deps.db, row, now, links(deps));
}

/** An account e-mail is kept as queued (its activation or recovery link only ever existed in the sent e-mail). */
const keptBody = (row: NotificationRow, body: string): string =>
  row.kind === "account_notice" ? row.body : body;

async function deliver(
  deps: WorkerDeps,
  row: NotificationRow,
  message: { subject: string; body: string },
): Promise<SendResult> {
  if (row.channel === "email")
    return deps.email.send(
      {
        id: row.id,
        to: row.recipient,
        subject: message.subject,
        text: message.body,
        html: row.html ?? undefined,
        attachments: row.attachments ?? undefined,
        headers: row.headers ?? undefined,
        bounceToken: row.bounceToken ?? undefined,
      },
      // The marker is in the database before the end of the message can leave (ADR 0004, 2026-12-04).
      { beforeDataEnd: () => recordDataEnd(deps, row) },
    );
  return deps.sms.send({
    id: row.id,
    to: row.recipient,
    text: message.body,
    receiptUrl: deps.smsWebhookToken ? `${deps.publicUrl}/api/webhooks/sms/${deps.smsWebhookToken}` : null,
  });
}

/** Sends one claimed notification and records the outcome (in the background if the database fails). */
async function processOne(
  deps: WorkerDeps,
  row: NotificationRow,
  pending: PendingRecords,
  signal?: AbortSignal,
): Promise<void> {
  const { db } = deps;
  const now = deps.clock.now();
  let composed: Composed;
  try {
    composed = await compose(deps, row, now);
  } catch (error) {
    // A database fault is no reason to drop the message: nothing left, try again in a minute.
    if (isDatabaseUnavailable(error)) {
      deps.log(
        `Notification ${row.id} (${row.channel}) : base de données indisponible (${errorForLog(error)}), reportée`,
      );
      composed = { action: "defer", until: new Date(now.getTime() + retryDelayMs(1)) };
    } else {
      deps.log(
        `Notification ${row.id} (${row.channel}) : message impossible à préparer (${errorForLog(error)})`,
      );
      composed = { action: "skip", reason: "Message impossible à préparer (erreur inattendue)." };
    }
  }
  if (composed.action === "skip") {
    const reason =
      row.uncertainSends > 0 ? `${composed.reason} Envoi précédent incertain, non renvoyé.` : composed.reason;
    await recordOutcome(
      deps,
      row,
      "non envoyée",
      async () => {
        await db.update(notification).set({ status: "skipped", lastError: reason }).where(stillClaimed(row));
      },
      pending,
      signal,
    );
    return;
  }
  if (composed.action === "defer") {
    const until = composed.until;
    // Quiet hours, a release to wait for or a database fault: not an attempt.
    await recordOutcome(
      deps,
      row,
      "reportée",
      async () => {
        await db
          .update(notification)
          .set({ status: "pending", notBefore: until, attempts: row.attempts - 1 })
          .where(stillClaimed(row));
      },
      pending,
      signal,
    );
    return;
  }
  const kept = { subject: composed.subject, body: keptBody(row, composed.body) };
  // An SMS whose previous send has an unknown outcome: ask the provider before sending it again.
  let verdict = await checkBeforeResend(deps.sms, row, now);
  // The server began to stop during the question: no send now (it could outlast the shutdown).
  if (verdict?.action === "resend" && signal?.aborted)
    verdict = {
      action: "wait",
      until: now,
      lastError: row.lastError,
      logLine: "arrêt du serveur, renvoi reporté",
    };
  if (verdict) {
    deps.log(`Notification ${row.id} (${row.channel}) : ${verdict.logLine}`);
    if (verdict.action !== "resend") {
      await recordLookupVerdict(
        deps,
        row,
        kept,
        verdict,
        () => alertDirectionIfNeeded(db, row.structureId, deps.clock.now(), links(deps)),
        pending,
        signal,
      );
      return;
    }
  }
  // The provider call alone: once it resolved, the message left, whatever the database does next.
  let result: SendResult;
  try {
    result = await deliver(deps, row, composed);
  } catch (error) {
    await recordFailure(
      deps,
      row,
      kept,
      error,
      () => alertDirectionIfNeeded(db, row.structureId, deps.clock.now(), links(deps)),
      pending,
      signal,
    );
    return;
  }
  await recordSent(deps, row, kept, result, pending, signal);
}

/**
 * Repeated failures alert the structure's direction: an email to each active service manager,
 * at most once per window. Serialized per structure so two instances send one alert.
 */
export async function alertDirectionIfNeeded(
  db: Db,
  structureId: string,
  now: Date,
  links: Links,
): Promise<void> {
  const since = new Date(now.getTime() - ALERT_WINDOW_MS);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`alert|${structureId}`}, 0))`);
    const failures = await countFailures(tx, structureId, since);
    if (failures.failed + failures.uncertain < FAILURES_BEFORE_ALERT) return;
    const [recent] = await tx
      .select({ n: count() })
      .from(notification)
      .where(
        and(
          eq(notification.structureId, structureId),
          eq(notification.kind, "failure_alert"),
          gt(notification.createdAt, since),
        ),
      );
    if ((recent?.n ?? 0) > 0) return;
    const managers = await activeAgentsWithRole(tx, structureId, "service_manager");
    if (managers.length === 0) return;
    await enqueueAgentNotices(tx, {
      structureId,
      kind: "failure_alert",
      recipients: managers,
      ...failureAlertMessage(failures, links),
      now,
    });
  });
}

/**
 * One pass: `concurrency` senders (default 1) each claim one due row, send it and record it, then
 * claim the next, until none is left or `signal` aborts (the server stops). A row is claimed only
 * when a sender is about to send it, so a server killed mid-pass leaves at most `concurrency` rows
 * `sending` (uncertain at the lease's end), never rows that no provider was asked to send. An
 * outcome the database refuses is recorded again in the background (`record.ts#recordOutcome`)
 * while the senders go on; a pass whose claim fails (the database is down) ends there. Without
 * `deps.pendingRecords`, the pass waits for its background recordings before it returns.
 * Returns how many were handled.
 */
export async function runOnce(deps: WorkerDeps, signal?: AbortSignal): Promise<number> {
  const pending = deps.pendingRecords ?? new Set<Promise<void>>();
  try {
    let handled = await expireLeases(deps);
    let stop = false;
    const sender = async (): Promise<void> => {
      while (!stop && !signal?.aborted) {
        const [row] = await claimDue(deps.db, deps.clock.now(), 1, deps.liveness?.id);
        if (!row) return;
        handled += 1;
        try {
          await processOne(deps, row, pending, signal);
        } catch (error) {
          stop = true;
          throw error;
        }
      }
    };
    const senders = Math.max(1, deps.concurrency ?? 1);
    const ended = await Promise.allSettled(Array.from({ length: senders }, sender));
    const failed = ended.find((e): e is PromiseRejectedResult => e.status === "rejected");
    if (failed) throw failed.reason;
    return handled;
  } finally {
    if (!deps.pendingRecords) await settled(pending);
  }
}

/** Waits until no recording is left (a recording that ends may not start another). */
async function settled(pending: PendingRecords): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}

export type RunningWorker = Poller;

/**
 * Polls the outbox every `pollSeconds` inside the server process. Recordings retried in the
 * background outlive the pass; `stop()` cuts their pauses short (one last try each) and waits.
 */
export function startWorker(deps: WorkerDeps, pollSeconds: number): RunningWorker {
  const pendingRecords: PendingRecords = new Set();
  const withPending = { ...deps, pendingRecords };
  const poller = pollEvery(
    pollSeconds,
    (signal) => runOnce(withPending, signal),
    (_message, error) => deps.log(`Envoi des notifications : ${errorForLog(error)}`),
  );
  return {
    stop: async () => {
      await poller.stop();
      await settled(pendingRecords);
    },
    running: poller.running,
  };
}
