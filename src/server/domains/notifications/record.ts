import { and, eq, inArray, sql } from "drizzle-orm";
import { errorForLog } from "../../core/dbErrors";
import { notification } from "../../db/schema";
import { markAddressUndeliverable } from "../directory/undeliverable";
import type { LookupVerdict } from "./lookup";
import type { SendResult } from "./providers";
import {
  type AttemptOutcome,
  afterFailure,
  BouncedSendError,
  CLAIM_LEASE_MS,
  RESENT_AFTER_UNCERTAIN_EMAIL,
  SendError,
  uncertainForGood,
} from "./rules";
import type { WorkerDeps } from "./worker";

type NotificationRow = typeof notification.$inferSelect;
type Message = { subject: string; body: string };

/**
 * Pauses between tries to record an outcome the worker knows (the provider took the message, or
 * refused it): quick at first, then every 15 s (the last pause repeats) until RECORD_MARGIN_MS
 * before the lease expires.
 */
export const RECORD_RETRY_PAUSES_MS: readonly number[] = [200, 1_000, 2_000, 5_000, 10_000, 15_000];
/**
 * The recording is given up this long before the claim's lease expires: a try lasts at most the
 * statement timeout (10 s) or the connection timeout, so it never races the lease expiry, which
 * would make a message already sent "uncertain" and resend it.
 */
export const RECORD_MARGIN_MS = 30_000;

/** Recordings still being retried after a pass, which the worker waits for when it stops. */
export type PendingRecords = Set<Promise<void>>;

/** The update only applies if the row is still ours (same claim). */
export const stillClaimed = (row: NotificationRow) =>
  and(
    eq(notification.id, row.id),
    eq(notification.status, "sending"),
    eq(notification.claimedAt, row.claimedAt!),
    // The same instance's claim: another's, even at the same instant, is not this one.
    sql`${notification.claimedBy} is not distinct from ${row.claimedBy}`,
  );

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * Writes the outcome of a claimed row (`write`, which must be safe to run again). A database fault
 * never changes a known outcome: the write is tried again in the background (`pending`), with
 * RECORD_RETRY_PAUSES_MS, until RECORD_MARGIN_MS before the lease would expire — a database down
 * for less than that (a restart, a failover) never makes a sent message uncertain, and the worker
 * goes on with the other messages meanwhile. Past that, or when the server stops (`signal`, after
 * one last try), the row stays `sending` and the lease expiry makes it uncertain (at most one
 * resend, unless a receipt settles it). Never throws; resolves once the first try is over.
 */
export async function recordOutcome(
  deps: WorkerDeps,
  row: NotificationRow,
  what: string,
  write: () => Promise<void>,
  pending: PendingRecords,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await write();
    return;
  } catch (error) {
    deps.log(
      `Notification ${row.id} (${row.channel}) : ${what}, enregistrement impossible (${errorForLog(error)}), nouvel essai`,
    );
  }
  const retry = retryRecord(deps, row, what, write, signal);
  pending.add(retry);
  void retry.finally(() => pending.delete(retry));
}

async function retryRecord(
  deps: WorkerDeps,
  row: NotificationRow,
  what: string,
  write: () => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const pauses = deps.recordRetryPausesMs ?? RECORD_RETRY_PAUSES_MS;
  const deadline = row.claimedAt!.getTime() + CLAIM_LEASE_MS - RECORD_MARGIN_MS;
  let lastError: unknown;
  for (let retry = 0; ; retry += 1) {
    const pause = pauses[Math.min(retry, pauses.length - 1)] ?? 1_000;
    if (deps.clock.now().getTime() + pause > deadline || (signal?.aborted && retry > 0)) {
      deps.log(
        `Notification ${row.id} (${row.channel}) : ${what} mais non enregistrée après ${retry + 1} essais (${errorForLog(lastError)}) ; incertaine à l'expiration du bail`,
      );
      return;
    }
    await sleep(pause, signal);
    try {
      await write();
      deps.log(`Notification ${row.id} (${row.channel}) : ${what}, enregistrée au ${retry + 2}e essai`);
      return;
    } catch (error) {
      lastError = error;
    }
  }
}

/**
 * Records that an e-mail's end of data is about to leave (`EmailSendHooks.beforeDataEnd`, ADR 0004,
 * addendum 2026-12-04), for this claim only. Not retried: it throws if the database refuses it or the
 * claim is gone (its lease expired and the row was put back), and the send then stops before the
 * end of the message, which the relay discards — certainly not taken, retried like any refusal.
 */
export async function recordDataEnd(deps: WorkerDeps, row: NotificationRow): Promise<void> {
  const marked = await deps.db
    .update(notification)
    .set({ dataEndAt: deps.clock.now() })
    .where(stillClaimed(row))
    .returning({ id: notification.id });
  if (marked.length === 0)
    throw new Error(`notification ${row.id}: claim lost before the end of the message`);
}

/**
 * Records a message the provider took, with the text to keep in the log. A database fault here
 * must never send it again: only the recording is retried (`recordOutcome`), never `pending`.
 */
export function recordSent(
  deps: WorkerDeps,
  row: NotificationRow,
  kept: Message,
  result: SendResult,
  pending: PendingRecords,
  signal?: AbortSignal,
): Promise<void> {
  const sentAt = deps.clock.now();
  return recordOutcome(
    deps,
    row,
    "envoyée",
    async () => {
      const recorded = await deps.db
        .update(notification)
        .set({
          // A message only written to the log reached no one: the log says so, never "Envoyé".
          status: result.loggedOnly ? "logged" : "sent",
          sentAt,
          providerMessageId: result.providerMessageId,
          subject: kept.subject,
          body: kept.body,
          // An e-mail resent after an uncertain send (no log to ask first): the agent sees it.
          lastError: row.channel === "email" && row.uncertainSends > 0 ? RESENT_AFTER_UNCERTAIN_EMAIL : "",
        })
        .where(stillClaimed(row))
        .returning({ id: notification.id });
      if (recorded.length === 0) await keepTextOfSettled(deps, row, kept, result);
    },
    pending,
    signal,
  );
}

/**
 * The claim was gone: a receipt settled the message meanwhile (`SmsFeedback.ts#recordSmsReceipt`
 * takes `sending` rows), which is a success. Its status stays the receipt's; only the text sent
 * (and the provider's id, if the receipt had none) is kept for the log.
 */
async function keepTextOfSettled(
  deps: WorkerDeps,
  row: NotificationRow,
  kept: Message,
  result: SendResult,
): Promise<void> {
  await deps.db
    .update(notification)
    .set({
      subject: kept.subject,
      body: kept.body,
      providerMessageId: sql`coalesce(${notification.providerMessageId}, ${result.providerMessageId})`,
    })
    .where(
      and(
        eq(notification.id, row.id),
        eq(notification.claimedAt, row.claimedAt!),
        inArray(notification.status, ["sent", "delivered", "failed"]),
      ),
    );
}

/**
 * Records a send that threw: retried later, failed, or uncertain (`rules.ts#afterFailure`); a
 * message that ended badly (failed, or uncertain for good) may alert the direction. Recorded
 * through `recordOutcome`: should the database fail, the row stays `sending` while it is retried,
 * and at worst becomes uncertain at the lease expiry, never resent blindly.
 */
export function recordFailure(
  deps: WorkerDeps,
  row: NotificationRow,
  composed: Message,
  error: unknown,
  /** Alerts the direction if the structure's failures call for it (`worker.ts#alertDirectionIfNeeded`). */
  alertDirection: () => Promise<void>,
  pending: PendingRecords,
  signal?: AbortSignal,
): Promise<void> {
  const now = deps.clock.now();
  const outcome = afterFailure(error, row.attempts, now, row.uncertainSends, row.channel);
  const code =
    error instanceof SendError ? [error.name, error.logCode].filter(Boolean).join(" ") : errorForLog(error);
  deps.log(`Notification ${row.id} (${row.channel}) : ${statusForLog[outcome.status]} (${code})`);
  // A permanent refusal of a partner contact's address marks the contact undeliverable with it.
  const contactId = error instanceof BouncedSendError ? row.directoryContactId : null;
  const endedBadly =
    outcome.status === "failed" ||
    (outcome.status === "uncertain" && uncertainForGood(outcome.uncertainSends));
  let recorded = false;
  return recordOutcome(
    deps,
    row,
    "échec d'envoi",
    async () => {
      if (!recorded)
        await deps.db.transaction(async (tx) => {
          const updated = await tx
            .update(notification)
            .set({
              ...outcome,
              subject: composed.subject,
              body: composed.body,
              ...(outcome.status === "failed" ? { failedAt: now } : {}),
            })
            .where(stillClaimed(row))
            .returning({ id: notification.id });
          if (contactId && updated.length > 0)
            await markAddressUndeliverable(tx, contactId, row.recipient, now);
        });
      recorded = true;
      if (endedBadly && row.convocationId) await alertDirection();
    },
    pending,
    signal,
  );
}

/**
 * Records what the provider said of an uncertain SMS before its resend (`lookup.ts`): taken
 * (sent, delivered, or failed when the operator refused it), or no answer (still uncertain, asked
 * again at `until`). No message left now, so the claim is not counted as an attempt.
 */
export function recordLookupVerdict(
  deps: WorkerDeps,
  row: NotificationRow,
  kept: Message,
  verdict: Exclude<LookupVerdict, { action: "resend" }>,
  /** Alerts the direction if the structure's failures call for it (`worker.ts#alertDirectionIfNeeded`). */
  alertDirection: () => Promise<void>,
  pending: PendingRecords,
  signal?: AbortSignal,
): Promise<void> {
  const now = deps.clock.now();
  let recorded = false;
  return recordOutcome(
    deps,
    row,
    verdict.action === "wait" ? "vérification reportée" : "confirmée par le fournisseur",
    async () => {
      if (verdict.action === "wait") {
        await deps.db
          .update(notification)
          .set({
            status: "uncertain",
            notBefore: verdict.until,
            lastError: verdict.lastError,
            attempts: row.attempts - 1,
          })
          .where(stillClaimed(row));
        return;
      }
      if (!recorded) {
        const updated = await deps.db
          .update(notification)
          .set({
            status: verdict.status,
            sentAt: verdict.sentAt,
            ...(verdict.status === "delivered" ? { deliveredAt: now } : {}),
            ...(verdict.status === "failed" ? { failedAt: now } : {}),
            providerMessageId: sql`coalesce(${notification.providerMessageId}, ${verdict.providerMessageId})`,
            lastError: verdict.lastError,
            attempts: row.attempts - 1,
            // The text recorded at the send in doubt; a row interrupted before any recording gets
            // the text as rendered now, the closest known to what left.
            ...(row.body ? {} : { subject: kept.subject, body: kept.body }),
          })
          .where(stillClaimed(row))
          .returning({ id: notification.id });
        recorded = true;
        if (updated.length === 0) return;
      }
      if (verdict.status === "failed" && row.convocationId) await alertDirection();
    },
    pending,
    signal,
  );
}

const statusForLog: Record<AttemptOutcome["status"], string> = {
  pending: "échec d'envoi, nouvel essai prévu",
  failed: "échec d'envoi définitif",
  uncertain: "envoi incertain",
};
