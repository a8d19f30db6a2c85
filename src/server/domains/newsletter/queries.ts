import { count, eq, inArray, sql } from "drizzle-orm";
import type { DeliveryCounts } from "../../../common/newsletter/newsletter.schema";
import type { Db } from "../../db/createDb";
import { newsletterDelivery, notification } from "../../db/schema";

const EMPTY: DeliveryCounts = { recipients: 0, sent: 0, failed: 0, pending: 0, unsubscribed: 0 };

/**
 * What the deliveries of each issue became, from their outbox rows: sent (or delivered), failed
 * (a 5xx answer is a bounce, the outbox gives up), pending (or being sent, or uncertain), and how
 * many recipients used their unsubscribe link.
 */
export async function deliveryCounts(db: Db, issueIds: string[]): Promise<Map<string, DeliveryCounts>> {
  const result = new Map<string, DeliveryCounts>();
  if (issueIds.length === 0) return result;
  const rows = await db
    .select({
      issueId: newsletterDelivery.issueId,
      recipients: count(),
      sent: sql<number>`count(*) filter (where ${notification.status} in ('sent', 'delivered', 'logged'))`.mapWith(
        Number,
      ),
      failed: sql<number>`count(*) filter (where ${notification.status} in ('failed', 'skipped'))`.mapWith(
        Number,
      ),
      unsubscribed: sql<number>`count(${newsletterDelivery.unsubscribedAt})`.mapWith(Number),
    })
    .from(newsletterDelivery)
    .leftJoin(notification, eq(notification.id, newsletterDelivery.notificationId))
    .where(inArray(newsletterDelivery.issueId, issueIds))
    .groupBy(newsletterDelivery.issueId);
  for (const r of rows)
    result.set(r.issueId, {
      recipients: r.recipients,
      sent: r.sent,
      failed: r.failed,
      pending: r.recipients - r.sent - r.failed,
      unsubscribed: r.unsubscribed,
    });
  for (const id of issueIds) if (!result.has(id)) result.set(id, EMPTY);
  return result;
}
