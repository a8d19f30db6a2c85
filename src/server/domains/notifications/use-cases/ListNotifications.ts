import { and, desc, eq, sql } from "drizzle-orm";
import type {
  NotificationStatus,
  NotificationView,
} from "../../../../common/notifications/notifications.schema";
import type { NotificationChannel } from "../../../../common/notifications/templates";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { convocation, notification, person, structure } from "../../../db/schema";
import { notificationsReadDetail } from "../../audit/auditReason";
import { peopleTarget } from "../../audit/JournalNominativeRead";
import { countFailures } from "../outbox";
import { assertManagesNotifications } from "../policies";

const WEEK_MS = 7 * 24 * 3_600_000;

/** The last 300 messages of the structure, newest first, and the failed or uncertain ones of the last 7 days. */
export async function listNotifications(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  filters: { status?: NotificationStatus | undefined; channel?: NotificationChannel | undefined },
): Promise<{ notifications: NotificationView[]; failedLast7Days: number; uncertainLast7Days: number }> {
  assertManagesNotifications(ctx.actor, structureId);
  return deps.db.transaction(async (tx) => {
    const rows = await tx
      .select({
        notification,
        personName: sql<string | null>`upper(${person.lastName}) || ' ' || ${person.firstName}`,
        appointmentAt: convocation.startsAt,
      })
      .from(notification)
      .leftJoin(person, eq(person.id, notification.personId))
      .leftJoin(convocation, eq(convocation.id, notification.convocationId))
      .where(
        and(
          eq(notification.structureId, structureId),
          filters.status ? eq(notification.status, filters.status) : undefined,
          filters.channel ? eq(notification.channel, filters.channel) : undefined,
        ),
      )
      .orderBy(desc(notification.createdAt), desc(notification.id))
      .limit(300);
    const failures = await countFailures(tx, structureId, new Date(ctx.clock.now().getTime() - WEEK_MS));
    // The row names the people listed (their names, phone numbers, e-mails), and the filter.
    const [structureName] = await tx
      .select({ name: structure.name })
      .from(structure)
      .where(eq(structure.id, structureId));
    const people = peopleTarget(rows.flatMap(({ notification: n }) => (n.personId ? [n.personId] : [])));
    await journalFor(tx, ctx, {
      action: "notification.log_read",
      ...(people.targetId
        ? { targetType: "person", targetId: people.targetId }
        : { targetType: "structure", targetId: structureId }),
      structureId,
      reason: [
        notificationsReadDetail(structureName?.name ?? null, filters.status, filters.channel),
        `${rows.length} message${rows.length > 1 ? "s" : ""}`,
        ...people.counts,
      ].join(" ; "),
    });
    return {
      failedLast7Days: failures.failed,
      uncertainLast7Days: failures.uncertain,
      notifications: rows.map(({ notification: n, personName, appointmentAt }) => ({
        id: n.id,
        createdAt: n.createdAt.toISOString(),
        kind: n.kind,
        channel: n.channel,
        status: n.status,
        recipient: n.recipient,
        personName,
        appointmentAt: appointmentAt?.toISOString() ?? null,
        attempts: n.attempts,
        notBefore: n.notBefore.toISOString(),
        lastError: n.lastError,
        sentAt: n.sentAt?.toISOString() ?? null,
        deliveredAt: n.deliveredAt?.toISOString() ?? null,
        uncertainSends: n.uncertainSends,
        uncertainAt: n.uncertainAt?.toISOString() ?? null,
        // An agent's account e-mail is the agent's own: the structure's log shows that it left, not its text.
        body: n.kind === "account_notice" ? "" : n.body,
      })),
    };
  });
}
