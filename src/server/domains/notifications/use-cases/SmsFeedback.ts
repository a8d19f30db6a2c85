import { timingSafeEqual } from "node:crypto";
import { and, eq, gt, ne, or, sql } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { notification, person, smsOptOut } from "../../../db/schema";
import { LOGIN_WINDOW_MINUTES } from "../../identity/rules";
import { lockedIpFailures, recordLoginAttempt } from "../../identity/store";
import { alertDirectionIfNeeded } from "../worker";

/** Unknown stop links accepted from one address per window before it is refused (429) unread. */
export const MAX_STOP_LINK_FAILURES_PER_IP = 20;

/**
 * The personal link of an SMS: records that the person wants no more SMS (journaled, without
 * login) and withdraws the SMS not yet sent. Opening it twice is harmless. An unknown link counts
 * as a failure of its IP (auth_attempt, kind `sms_stop`, like invitation links): past the cap, 429
 * without looking, so nobody tries tokens until one stops a stranger's SMS.
 */
export async function stopSms(deps: Deps, meta: RequestMeta, token: string): Promise<void> {
  const outcome = await deps.db.transaction(async (tx): Promise<"done" | "unknown" | "throttled"> => {
    const now = deps.clock.now();
    const failures = await lockedIpFailures(tx, "sms_stop", meta.ip, now);
    if (failures >= MAX_STOP_LINK_FAILURES_PER_IP) return "throttled";
    const [found] = await tx
      .select({
        personId: smsOptOut.personId,
        optedOutAt: smsOptOut.optedOutAt,
        structureId: person.structureId,
      })
      .from(smsOptOut)
      .innerJoin(person, eq(person.id, smsOptOut.personId))
      .where(eq(smsOptOut.token, token));
    if (!found) {
      await recordLoginAttempt(tx, { kind: "sms_stop", email: "", ip: meta.ip, at: now });
      return "unknown";
    }
    if (found.optedOutAt) return "done";
    await tx.update(smsOptOut).set({ optedOutAt: now }).where(eq(smsOptOut.personId, found.personId));
    await tx
      .update(notification)
      .set({ status: "skipped", lastError: "La personne a demandé à ne plus recevoir de SMS." })
      .where(
        and(
          eq(notification.personId, found.personId),
          eq(notification.channel, "sms"),
          eq(notification.status, "pending"),
        ),
      );
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: null },
      {
        action: "person.sms_opt_out",
        targetType: "person",
        targetId: found.personId,
        structureId: found.structureId,
      },
    );
    return "done";
  });
  if (outcome === "throttled") throw errors.notification.tooManyStopLinks(LOGIN_WINDOW_MINUTES * 60);
  if (outcome === "unknown") throw errors.notification.unknownStopLink();
}

const sameSecret = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A delivery receipt from the SMS provider, authenticated by the secret in its address. The
 * address names our notification (Brevo has no idempotency key, and after a timeout we never
 * learnt its messageId); older addresses without it are matched on the messageId. `sent` or
 * `delivered` settles an uncertain or still `sending` SMS (no resend); a hard bounce ends it as failed. Unknown ids
 * are ignored (the provider must not retry them forever).
 */
export async function recordSmsReceipt(
  deps: Deps,
  token: string,
  event: { messageId: string; msg_status: string },
  notificationId?: string,
): Promise<void> {
  const expected = deps.config.SMS_WEBHOOK_TOKEN;
  if (!expected || !sameSecret(token, expected)) throw errors.request.notFound();
  const now = deps.clock.now();
  const match = and(
    notificationId
      ? eq(notification.id, notificationId)
      : eq(notification.providerMessageId, event.messageId),
    eq(notification.channel, "sms"),
  );
  // A sent SMS, one still `sending` (the receipt came before the worker recorded the send, or its
  // recording failed: the receipt settles it, the lease expiry then leaves it alone), or one whose
  // send may have left and that is waiting for its only resend.
  const open = or(
    eq(notification.status, "sending"),
    eq(notification.status, "sent"),
    eq(notification.status, "uncertain"),
    and(eq(notification.status, "pending"), gt(notification.uncertainSends, 0)),
  );
  if (event.msg_status === "delivered" || event.msg_status === "sent") {
    const delivered = event.msg_status === "delivered";
    await deps.db
      .update(notification)
      .set({
        status: delivered ? "delivered" : "sent",
        ...(delivered ? { deliveredAt: now } : {}),
        sentAt: sql`coalesce(${notification.sentAt}, ${now})`,
        // "Envoi incertain…" or a provider's error no longer describes a message the operator took.
        lastError: "",
        providerMessageId: sql`coalesce(${notification.providerMessageId}, ${event.messageId})`,
      })
      .where(and(match, delivered ? open : and(open, ne(notification.status, "sent"))));
    return;
  }
  if (event.msg_status === "hard_bounce") {
    const [row] = await deps.db
      .update(notification)
      .set({ status: "failed", failedAt: now, lastError: "Numéro injoignable (refusé par l'opérateur)." })
      .where(and(match, open))
      .returning({ structureId: notification.structureId });
    if (row)
      await alertDirectionIfNeeded(deps.db, row.structureId, now, { publicUrl: deps.config.PUBLIC_URL });
    return;
  }
  if (event.msg_status === "soft_bounce") {
    await deps.db
      .update(notification)
      .set({ lastError: "Remise retardée par l'opérateur (téléphone éteint ou saturé)." })
      .where(and(match, eq(notification.status, "sent")));
  }
}
