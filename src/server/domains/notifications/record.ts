import { and, eq, inArray, sql } from "drizzle-orm";
import { notification } from "../../db/schema";
import { markAddressUndeliverable } from "../directory/undeliverable";
import type { SendResult } from "./providers";
import { afterFailure, BouncedSendError, uncertainForGood } from "./rules";
import type { WorkerDeps } from "./worker";

type NotificationRow = typeof notification.$inferSelect;
type Message = { subject: string; body: string };

/** A sent message whose recording fails is recorded again after these pauses (well within the lease). */
export const RECORD_RETRY_PAUSES_MS: readonly number[] = [200, 1_000, 5_000];

/** The update only applies if the row is still ours (same claim). */
export const stillClaimed = (row: NotificationRow) =>
  and(
    eq(notification.id, row.id),
    eq(notification.status, "sending"),
    eq(notification.claimedAt, row.claimedAt!),
  );

/**
 * Records a message the provider took, with the text to keep in the log. A database fault here
 * must never send it again: only the recording is retried, after short pauses; if it still fails
 * the row stays `sending` and the pass stops (this throws), so the lease expiry makes it uncertain
 * (at most one resend), never `pending`.
 */
export async function recordSent(
  deps: WorkerDeps,
  row: NotificationRow,
  kept: Message,
  result: SendResult,
): Promise<void> {
  const pauses = deps.recordRetryPausesMs ?? RECORD_RETRY_PAUSES_MS;
  for (let retry = 0; ; retry += 1) {
    try {
      const recorded = await deps.db
        .update(notification)
        .set({
          // A message only written to the log reached no one: the log says so, never "Envoyé".
          status: result.loggedOnly ? "logged" : "sent",
          sentAt: deps.clock.now(),
          providerMessageId: result.providerMessageId,
          subject: kept.subject,
          body: kept.body,
          lastError: "",
        })
        .where(stillClaimed(row))
        .returning({ id: notification.id });
      if (recorded.length === 0) await keepTextOfSettled(deps, row, kept, result);
      return;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const pause = pauses[retry];
      deps.log(
        `Notification ${row.id} (${row.channel}) : envoyée, enregistrement impossible (${reason})${pause === undefined ? "" : ", nouvel essai"}`,
      );
      if (pause === undefined)
        throw new Error(`Notification ${row.id} envoyée mais non enregistrée : ${reason}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
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
 * Records a send that threw: retried later, failed, or uncertain (`rules.ts#afterFailure`).
 * Returns whether the message ended badly (failed, or uncertain for good). Should this update
 * fail, the row stays `sending`: uncertain at the lease expiry, never resent blindly.
 */
export async function recordFailure(
  deps: WorkerDeps,
  row: NotificationRow,
  composed: Message,
  error: unknown,
): Promise<boolean> {
  const outcome = afterFailure(error, row.attempts, deps.clock.now(), row.uncertainSends);
  deps.log(`Notification ${row.id} (${row.channel}) : ${outcome.lastError}`);
  // A permanent refusal of a partner contact's address marks the contact undeliverable with it.
  const contactId = error instanceof BouncedSendError ? row.directoryContactId : null;
  await deps.db.transaction(async (tx) => {
    const updated = await tx
      .update(notification)
      .set({
        ...outcome,
        subject: composed.subject,
        body: composed.body,
        ...(outcome.status === "failed" ? { failedAt: deps.clock.now() } : {}),
      })
      .where(stillClaimed(row))
      .returning({ id: notification.id });
    if (contactId && updated.length > 0)
      await markAddressUndeliverable(tx, contactId, row.recipient, deps.clock.now());
  });
  return (
    outcome.status === "failed" ||
    (outcome.status === "uncertain" && uncertainForGood(outcome.uncertainSends))
  );
}
