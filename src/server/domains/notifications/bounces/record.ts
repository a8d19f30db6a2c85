import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/createDb";
import { notification } from "../../../db/schema";
import { markAddressUndeliverable } from "../../directory/undeliverable";

/** Statuses of a message that may have left: a bounce report about it ends it failed. */
const LEFT = ["sending", "sent", "delivered", "uncertain"] as const;

export type BounceOutcome = "recorded" | "already_failed" | "unknown";

/**
 * Records an asynchronous hard bounce (a DSN "failed" with a 5.x.x status) on the outbox row its
 * VERP token names, in one transaction: the row ends `failed` as a synchronous 5xx does (the
 * newsletter's "failed" count; an uncertain row is never sent again), and the partner contact is
 * marked undeliverable. A token of no row, or of a row that never left, changes nothing.
 */
export async function recordBounce(
  db: Db,
  token: string,
  report: { status: string; diagnostic: string },
  now: Date,
): Promise<BounceOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: notification.id,
        status: notification.status,
        recipient: notification.recipient,
        directoryContactId: notification.directoryContactId,
      })
      .from(notification)
      .where(and(eq(notification.bounceToken, token), eq(notification.channel, "email")))
      .for("update");
    if (!row) return "unknown";
    const bounced = row.status === "failed";
    if (!bounced && !(LEFT as readonly string[]).includes(row.status)) return "unknown";
    if (!bounced) {
      const detail = report.diagnostic ? ` (${report.diagnostic.slice(0, 200)})` : "";
      await tx
        .update(notification)
        .set({
          status: "failed",
          failedAt: now,
          lastError: `Non remis : le serveur du destinataire a renvoyé un avis de non-remise, statut ${report.status}${detail}`,
        })
        .where(and(eq(notification.id, row.id), inArray(notification.status, [...LEFT])));
    }
    if (row.directoryContactId)
      await markAddressUndeliverable(tx, row.directoryContactId, row.recipient, now);
    return bounced ? "already_failed" : "recorded";
  });
}
