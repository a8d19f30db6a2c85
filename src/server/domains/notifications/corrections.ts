import { and, eq, gt, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import { notification } from "../../db/schema";
import {
  ANNOUNCING,
  type ConvocationForNotices,
  enqueueStatusNotices,
  recipients,
  TOLD,
  WITHDRAWN,
} from "./outbox";

const CORRECTED = "Statut corrigé avant l'envoi.";

/** Whether the person was sent (or may have been sent) the cancellation of this convocation. */
export async function cancellationTold(tx: Db, convocationId: string): Promise<boolean> {
  const told = await tx
    .select({ id: notification.id })
    .from(notification)
    .where(
      and(
        eq(notification.convocationId, convocationId),
        eq(notification.kind, "cancellation"),
        inArray(notification.status, TOLD),
      ),
    )
    .limit(1);
  return told.length > 0;
}

/**
 * In a status-correction transaction (ADR 0014): never a second message. What the wrong status
 * queued and has not left is withdrawn; back to planned, the reminders it withdrew come back if
 * still due; a new status that calls for a message the person never got queues it (the unique
 * convocation × kind × channel index keeps it to one; one withdrawn by a correction is revived).
 */
export async function enqueueCorrectionNotices(
  tx: Db,
  c: ConvocationForNotices,
  to: "planned" | "honoured" | "missed" | "excused",
  now: Date,
): Promise<void> {
  await tx
    .update(notification)
    .set({ status: "skipped", lastError: CORRECTED })
    .where(
      and(
        eq(notification.convocationId, c.id),
        inArray(notification.kind, ["cancellation", "missed"]),
        eq(notification.status, "pending"),
      ),
    );
  if (to === "planned") {
    await revive(
      tx,
      c,
      and(
        inArray(notification.kind, ANNOUNCING),
        eq(notification.lastError, WITHDRAWN),
        gt(notification.notBefore, now),
      ),
      {},
    );
    return;
  }
  if (to === "honoured") return;
  await enqueueStatusNotices(tx, c, to, now);
  await revive(
    tx,
    c,
    and(
      eq(notification.kind, to === "missed" ? "missed" : "cancellation"),
      eq(notification.lastError, CORRECTED),
    ),
    { notBefore: now },
  );
}

/**
 * Brings back withdrawn messages of the convocation matching `which`, addressed to the person's
 * contacts as they are now: a channel whose contact is gone or that the person refused (SMS) stays
 * withdrawn, so a corrected status never writes to an old number or address.
 */
async function revive(
  tx: Db,
  c: ConvocationForNotices,
  which: SQL | undefined,
  extra: { notBefore?: Date },
): Promise<void> {
  for (const contact of await recipients(tx, c)) {
    if (contact.optedOut) continue;
    await tx
      .update(notification)
      .set({ status: "pending", lastError: "", recipient: contact.recipient, ...extra })
      .where(
        and(
          eq(notification.convocationId, c.id),
          eq(notification.channel, contact.channel),
          eq(notification.status, "skipped"),
          which,
        ),
      );
  }
}
