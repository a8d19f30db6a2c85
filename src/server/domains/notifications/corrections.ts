import { and, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import { notification } from "../../db/schema";
import { ANNOUNCING, type ConvocationForNotices, enqueueStatusNotices, TOLD, WITHDRAWN } from "./outbox";

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
    await tx
      .update(notification)
      .set({ status: "pending", lastError: "" })
      .where(
        and(
          eq(notification.convocationId, c.id),
          inArray(notification.kind, ANNOUNCING),
          eq(notification.status, "skipped"),
          eq(notification.lastError, WITHDRAWN),
          gt(notification.notBefore, now),
        ),
      );
    return;
  }
  if (to === "honoured") return;
  await enqueueStatusNotices(tx, c, to, now);
  await tx
    .update(notification)
    .set({ status: "pending", lastError: "", notBefore: now })
    .where(
      and(
        eq(notification.convocationId, c.id),
        eq(notification.kind, to === "missed" ? "missed" : "cancellation"),
        eq(notification.status, "skipped"),
        eq(notification.lastError, CORRECTED),
      ),
    );
}
