import { and, eq } from "drizzle-orm";
import type { NotificationChannel } from "../../../common/notifications/templates";
import type { Db } from "../../db/createDb";
import { notification, smsOptOut } from "../../db/schema";
import { newStopToken } from "./compose";

/**
 * A person's phone (or e-mail) changed: the messages of their convocations not yet sent on that
 * channel are withdrawn (status `skipped`, the reason in `last_error`, shown in "SMS et courriels"),
 * and, when `newRecipient` is given, the same messages are queued again to it, due at the same time.
 * In the transaction of the change. Messages being sent (`sending`) are left alone: they may arrive.
 */
export async function retargetPendingMessages(
  tx: Db,
  input: {
    personId: string;
    channel: NotificationChannel;
    /** The new number or address; null: withdraw only (no contact, or the person refused). */
    newRecipient: string | null;
    reason: string;
    now: Date;
  },
): Promise<{ withdrawn: number; requeued: number }> {
  const withdrawn = await tx
    .update(notification)
    .set({ status: "skipped", lastError: input.reason })
    .where(
      and(
        eq(notification.personId, input.personId),
        eq(notification.channel, input.channel),
        eq(notification.status, "pending"),
      ),
    )
    .returning();
  const again = input.newRecipient ? withdrawn.filter((row) => row.convocationId !== null) : [];
  if (again.length > 0) {
    await tx.insert(notification).values(
      again.map((row) => ({
        structureId: row.structureId,
        convocationId: row.convocationId,
        personId: row.personId,
        kind: row.kind,
        channel: row.channel,
        recipient: input.newRecipient as string,
        notBefore: row.notBefore,
        createdAt: input.now,
      })),
    );
  }
  return { withdrawn: withdrawn.length, requeued: again.length };
}

/** Whether the person refused SMS (the stop link, or their answer when their number changed). */
export async function smsRefused(tx: Db, personId: string): Promise<boolean> {
  const [row] = await tx
    .select({ at: smsOptOut.optedOutAt })
    .from(smsOptOut)
    .where(eq(smsOptOut.personId, personId));
  return Boolean(row?.at);
}

/** Records the person's SMS choice, asked again when their number changed. */
export async function setSmsChoice(tx: Db, personId: string, accepts: boolean, now: Date): Promise<void> {
  await tx
    .insert(smsOptOut)
    .values({ personId, token: newStopToken(), optedOutAt: accepts ? null : now })
    .onConflictDoUpdate({ target: smsOptOut.personId, set: { optedOutAt: accepts ? null : now } });
}
