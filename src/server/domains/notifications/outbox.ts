import { and, count, eq, gt, gte, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import { parisDay } from "../../../common/calendar";
import { type DetentionDates, heldIn, releaseDay } from "../../../common/detention/place";
import { errors } from "../../../common/errors";
import type {
  NotificationSettings,
  NotificationStatus,
} from "../../../common/notifications/notifications.schema";
import type { NotificationChannel, NotificationKind } from "../../../common/notifications/templates";
import { parisInstant } from "../../core/parisTime";
import type { Db } from "../../db/createDb";
import { type MailAttachment, notification, notificationSettings, person, smsOptOut } from "../../db/schema";
import { isoTime } from "../../db/sqlJson";
import { detentionColumns } from "../detention/queries";
import { newBounceToken } from "./bounces/verp";
import { type Contacts, messagesReach, OPTED_OUT, type Reached, reachedChannels } from "./reach";
import { MAX_UNCERTAIN_SENDS, reminderDueAt } from "./rules";

export const defaultSettings: NotificationSettings = {
  reminderHours: 48,
  notifyMissed: false,
  quietFrom: "20:00",
  quietTo: "08:00",
  preparationUrl: "",
  letterhead: "",
  measureAlertDays: 60,
  notSeenWeeks: 8,
};

export async function loadSettings(db: Db, structureId: string): Promise<NotificationSettings> {
  const [row] = await db
    .select()
    .from(notificationSettings)
    .where(eq(notificationSettings.structureId, structureId));
  return row
    ? {
        reminderHours: row.reminderHours,
        notifyMissed: row.notifyMissed,
        quietFrom: row.quietFrom,
        quietTo: row.quietTo,
        preparationUrl: row.preparationUrl,
        letterhead: row.letterhead,
        measureAlertDays: row.measureAlertDays,
        notSeenWeeks: row.notSeenWeeks,
      }
    : defaultSettings;
}

export interface ConvocationForNotices {
  id: string;
  structureId: string;
  personId: string;
  startsAt: Date;
  notifySms: boolean;
  notifyEmail: boolean;
}

/** The time of day messages held back for a release leave (Paris), in the structures' day hours. */
export const RELEASE_MORNING = "09:00";

/**
 * When messages to a person may leave, from `now`: at once, or — held today and out later (recorded
 * or expected release) — on the release day's morning: nobody writes to a detainee (ADR 0028).
 * Whether they leave at all is `reachedChannels` (reach.ts: held on the convocation's day, never).
 */
export function messagesFrom(detention: DetentionDates | null, now: Date): Date {
  const out = releaseDay(detention);
  if (out === null || heldIn(detention, parisDay(now)) === null) return now;
  const morning = parisInstant(out, RELEASE_MORNING);
  return morning > now ? morning : now;
}

/** What the message rule (`reach.ts`) reads of a person: detention, contacts, SMS refusal. */
export type PersonReach = DetentionDates & Contacts;

/** The person's detention, contacts and SMS refusal as now recorded. */
export async function readPersonReach(tx: Db, personId: string): Promise<PersonReach> {
  const [row] = await tx
    .select({
      phone: person.phone,
      email: person.email,
      optedOutAt: smsOptOut.optedOutAt,
      ...detentionColumns,
    })
    .from(person)
    .leftJoin(smsOptOut, eq(smsOptOut.personId, person.id))
    .where(eq(person.id, personId));
  if (!row) throw errors.person.notFound();
  return row;
}

/**
 * The person's contact for each chosen channel, by the one rule (`reachedChannels`: none when held
 * on the convocation's day, ADR 0028), with what was read of the person. At booking (`strict`) a
 * chosen channel without contact is a 400 (unless held: the establishment is told); later on, such
 * a channel is left out.
 */
async function reach(
  tx: Db,
  c: ConvocationForNotices,
  strict: boolean,
): Promise<{ targets: Reached[]; who: PersonReach }> {
  const who = await readPersonReach(tx, c.personId);
  if (strict && messagesReach(c, who)) {
    if (c.notifySms && !who.phone) throw errors.convocation.noPhone();
    if (c.notifyEmail && !who.email) throw errors.convocation.noEmail();
  }
  return { targets: reachedChannels(c, who), who };
}

/** The person's contact for each chosen channel that reaches them (`reach`). */
export async function recipients(tx: Db, c: ConvocationForNotices, strict = false): Promise<Reached[]> {
  return (await reach(tx, c, strict)).targets;
}

/**
 * In the booking transaction: the summon leaves now (for a rescheduled appointment the person had
 * heard of, the new date instead), the reminder at the structure's delay before the appointment —
 * none when the appointment is sooner.
 */
export async function enqueueBookingNotices(
  tx: Db,
  c: ConvocationForNotices & { rescheduled: boolean; notBefore?: Date | undefined },
  now: Date,
): Promise<void> {
  const { targets, who } = await reach(tx, c, true);
  if (targets.length === 0) return;
  const settings = await loadSettings(tx, c.structureId);
  // Held today, out by the appointment: everything waits for the release morning (and for the
  // caller's floor, e.g. a handover's release date). The reminder only when due after the first
  // message: never two messages at once.
  let from = messagesFrom(who, now);
  if (c.notBefore && c.notBefore > from) from = c.notBefore;
  const reminderAt = reminderDueAt(c.startsAt, settings.reminderHours, from);
  const first: NotificationKind = c.rescheduled ? "reschedule" : "summon";
  const rows = targets.flatMap((t) => {
    const base = {
      structureId: c.structureId,
      convocationId: c.id,
      personId: c.personId,
      channel: t.channel,
      recipient: t.recipient,
    };
    if (t.optedOut)
      return [{ ...base, kind: first, notBefore: from, status: "skipped" as const, lastError: OPTED_OUT }];
    return [
      { ...base, kind: first, notBefore: from },
      ...(reminderAt ? [{ ...base, kind: "reminder" as const, notBefore: reminderAt }] : []),
    ];
  });
  await tx.insert(notification).values(rows);
}

/** Set on the messages withdrawn because the appointment was cancelled or passed. */
export const WITHDRAWN = "Rendez-vous annulé ou passé avant l'envoi.";
export const ANNOUNCING: NotificationKind[] = ["summon", "reschedule", "reminder"];
/** A message in these states may have reached the person ("uncertain": maybe sent). */
export const TOLD: NotificationStatus[] = ["sending", "sent", "delivered", "uncertain"];

/** Whether the person was told of a convocation (a message about it left or is leaving). */
export async function wasAnnounced(tx: Db, convocationId: string): Promise<boolean> {
  const told = await tx
    .select({ id: notification.id })
    .from(notification)
    .where(
      and(
        eq(notification.convocationId, convocationId),
        inArray(notification.kind, ANNOUNCING),
        inArray(notification.status, TOLD),
      ),
    )
    .limit(1);
  return told.length > 0;
}

/** Messages of a convocation not yet sent are withdrawn (the appointment changed). */
export async function withdrawPendingNotices(tx: Db, convocationId: string, reason: string): Promise<void> {
  await tx
    .update(notification)
    .set({ status: "skipped", lastError: reason })
    .where(and(eq(notification.convocationId, convocationId), eq(notification.status, "pending")));
}

/**
 * In the status-change transaction: a cancelled appointment is announced on the channels where
 * the person was told of it (nothing is sent about an appointment they never heard of); a missed
 * one, when the structure chose so.
 */
export async function enqueueStatusNotices(
  tx: Db,
  c: ConvocationForNotices,
  status: "honoured" | "missed" | "excused" | "cancelled",
  now: Date,
): Promise<void> {
  if (status === "honoured") return;
  await withdrawPendingNotices(tx, c.id, WITHDRAWN);
  let kind: NotificationKind;
  let channels: NotificationChannel[];
  if (status === "missed") {
    if (!(await loadSettings(tx, c.structureId)).notifyMissed) return;
    kind = "missed";
    channels = (await recipients(tx, c)).filter((t) => !t.optedOut).map((t) => t.channel);
  } else {
    kind = "cancellation";
    const told = await tx
      .selectDistinct({ channel: notification.channel })
      .from(notification)
      .where(
        and(
          eq(notification.convocationId, c.id),
          inArray(notification.kind, ANNOUNCING),
          inArray(notification.status, TOLD),
        ),
      );
    channels = told.map((t) => t.channel);
  }
  if (channels.length === 0) return;
  const contacts = await recipients(tx, {
    ...c,
    notifySms: channels.includes("sms"),
    notifyEmail: channels.includes("email"),
  });
  await tx
    .insert(notification)
    .values(
      contacts.map((t) => ({
        structureId: c.structureId,
        convocationId: c.id,
        personId: c.personId,
        kind,
        channel: t.channel,
        recipient: t.recipient,
        notBefore: now,
        ...(t.optedOut ? { status: "skipped" as const, lastError: OPTED_OUT } : {}),
      })),
    )
    .onConflictDoNothing();
}

/**
 * The messages of a person (at most 1000), as a JSON array of `{ createdAt, sentAt, failedAt,
 * notBefore, kind, channel, status, lastError, recipient, startsAt, siteName }`: the last two name
 * the convocation a message belongs to (null for another message) (people/fileReads.ts).
 */
export function messagesJson(personId: SQL): SQL {
  return sql`(select coalesce(json_agg(x.row order by x.n), '[]'::json) from (
    select row_number() over (order by m.created_at, m.id) as n, json_build_object(
      'createdAt', ${isoTime(sql`m.created_at`)}, 'sentAt', ${isoTime(sql`m.sent_at`)},
      'failedAt', ${isoTime(sql`m.failed_at`)}, 'notBefore', ${isoTime(sql`m.not_before`)}, 'kind', m.kind,
      'channel', m.channel, 'status', m.status, 'lastError', m.last_error, 'recipient', m.recipient,
      'startsAt', ${isoTime(sql`c.starts_at`)}, 'siteName', s.name
    ) as row
    from notification m
    left join convocation c on c.id = m.convocation_id
    left join site s on s.id = c.site_id
    where m.person_id = ${personId}
    order by m.created_at, m.id
    limit 1000) x)`;
}

/** When the person asked for no more SMS (ISO string), null if they did not. */
export function optedOutJson(personId: SQL): SQL {
  return sql`(select ${isoTime(sql`o.opted_out_at`)} from sms_opt_out o where o.person_id = ${personId})`;
}

/**
 * Convocation messages of a structure that ended failed, and those that ended "envoi incertain"
 * (maybe received, not sent again), since `since`: the direction's alerts.
 */
export async function countFailures(
  db: Db,
  structureId: string,
  since: Date,
): Promise<{ failed: number; uncertain: number }> {
  const [failed] = await db
    .select({ n: count() })
    .from(notification)
    .where(
      and(
        eq(notification.structureId, structureId),
        eq(notification.status, "failed"),
        isNotNull(notification.convocationId),
        gt(notification.failedAt, since),
      ),
    );
  const [uncertain] = await db
    .select({ n: count() })
    .from(notification)
    .where(
      and(
        eq(notification.structureId, structureId),
        eq(notification.status, "uncertain"),
        gte(notification.uncertainSends, MAX_UNCERTAIN_SENDS),
        isNotNull(notification.convocationId),
        gt(notification.uncertainAt, since),
      ),
    );
  return { failed: failed?.n ?? 0, uncertain: uncertain?.n ?? 0 };
}

/** Emails to agents (alerts, partner notices), written when queued: they name nobody. */
export async function enqueueAgentNotices(
  tx: Db,
  input: {
    structureId: string;
    kind: "failure_alert" | "orientation_sent" | "account_notice" | "invitation" | "agent_alert";
    recipients: { id: string; email: string }[];
    subject: string;
    body: string;
    now: Date;
    html?: string;
    attachments?: MailAttachment[];
  },
): Promise<void> {
  if (input.recipients.length === 0) return;
  await tx.insert(notification).values(
    input.recipients.map((r) => ({
      structureId: input.structureId,
      recipientUserId: r.id,
      html: input.html ?? null,
      attachments: input.attachments ?? null,
      kind: input.kind,
      channel: "email" as const,
      recipient: r.email,
      notBefore: input.now,
      createdAt: input.now,
      subject: input.subject,
      body: input.body,
    })),
  );
}

/**
 * E-mails to people outside Passerelle (a partner contact of the directory: an invitation, a
 * newsletter), pre-composed when queued. Each row is one recipient; the caller builds per-recipient
 * links (answer, unsubscribe) into the text, the HTML and the headers.
 */
export async function enqueueContactEmails(
  tx: Db,
  input: {
    structureId: string;
    kind: "invitation" | "newsletter";
    now: Date;
    messages: {
      directoryContactId: string | null;
      email: string;
      subject: string;
      body: string;
      html?: string;
      attachments?: MailAttachment[];
      headers?: Record<string, string>;
    }[];
  },
): Promise<string[]> {
  if (input.messages.length === 0) return [];
  const rows = await tx
    .insert(notification)
    .values(
      input.messages.map((m) => ({
        structureId: input.structureId,
        directoryContactId: m.directoryContactId,
        kind: input.kind,
        channel: "email" as const,
        recipient: m.email,
        notBefore: input.now,
        createdAt: input.now,
        subject: m.subject,
        body: m.body,
        html: m.html ?? null,
        attachments: m.attachments ?? null,
        headers: m.headers ?? null,
        bounceToken: newBounceToken(),
      })),
    )
    .returning({ id: notification.id });
  return rows.map((r) => r.id);
}
