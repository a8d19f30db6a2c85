/**
 * One retention run (ADR 0024): per structure, archive the files without activity for the
 * structure's delay, erase the personal data of the files archived long enough (one transaction
 * per person: a failure leaves that person whole, retried at the next run), delete the journal rows
 * and blank the messages older than the structure's delays; then, nationally, the sessions and
 * sign-in attempts older than 30 days. A simulation (dry run) counts the same rows, writes nothing.
 */
import { and, count, eq, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import { plural } from "../../../common/plural";
import { retentionCountWords } from "../../../common/retention/countWords";
import {
  type RetentionCounts,
  type RetentionSettings,
  SESSION_RETENTION_DAYS,
} from "../../../common/retention/retention.schema";
import { type Db, rowsOf } from "../../db/createDb";
import { auditEvent, authAttempt, notification, person, retentionSettings, session } from "../../db/schema";
import { archiveCandidates, eraseCandidates, stillArchivable } from "./candidates";
import { erasePerson } from "./erase";
import { cutoffs, daysBefore, settingsOrDefaults } from "./rules";

const BATCH = 1000;

export const noCounts = (): RetentionCounts => ({
  archived: 0,
  erased: 0,
  journalRows: 0,
  messages: 0,
  sessions: 0,
  signInAttempts: 0,
  failed: 0,
});

export function addCounts(a: RetentionCounts, b: RetentionCounts): RetentionCounts {
  const sum = noCounts();
  for (const key of Object.keys(sum) as (keyof RetentionCounts)[]) sum[key] = a[key] + b[key];
  return sum;
}

export async function loadRetentionSettings(db: Db, structureId: string): Promise<RetentionSettings> {
  const [row] = await db
    .select()
    .from(retentionSettings)
    .where(eq(retentionSettings.structureId, structureId));
  return settingsOrDefaults(row);
}

export interface RunOptions {
  dryRun: boolean;
  /** Called when a person's erasure failed (the error, never the person's data). */
  onFailure?: (error: unknown) => void;
}

async function archiveDue(
  db: Db,
  structureId: string,
  before: Date,
  now: Date,
  dryRun: boolean,
): Promise<number> {
  const due = await archiveCandidates(db, structureId, before);
  if (dryRun) return due.length;
  let archived = 0;
  for (const file of due) {
    const done = await db.transaction(async (tx) => {
      if (!(await stillArchivable(tx, file.id, before))) return false;
      await tx.update(person).set({ archivedAt: now }).where(eq(person.id, file.id));
      return true;
    });
    if (done) archived += 1;
  }
  return archived;
}

async function eraseDue(
  db: Db,
  structureId: string,
  before: Date,
  now: Date,
  options: RunOptions,
): Promise<Pick<RetentionCounts, "erased" | "failed">> {
  const due = await eraseCandidates(db, structureId, before);
  if (options.dryRun) return { erased: due.length, failed: 0 };
  let erased = 0;
  let failed = 0;
  for (const id of due) {
    try {
      if (await erasePerson(db, id, before, now)) erased += 1;
    } catch (error) {
      failed += 1;
      options.onFailure?.(error);
    }
  }
  return { erased, failed };
}

/** Journal rows of one structure (or, with null, of none) older than `before`, deleted in batches. */
async function purgeJournal(
  db: Db,
  structureId: string | null,
  before: Date,
  dryRun: boolean,
): Promise<number> {
  if (dryRun) {
    const [row] = await db
      .select({ n: count() })
      .from(auditEvent)
      .where(
        and(
          structureId === null ? isNull(auditEvent.structureId) : eq(auditEvent.structureId, structureId),
          lt(auditEvent.at, before),
        ),
      );
    return row?.n ?? 0;
  }
  let total = 0;
  for (;;) {
    const [row] = await rowsOf<{ n: number }>(
      db,
      sql`select audit_event_purge(${before.toISOString()}::timestamptz, ${structureId}::uuid, ${BATCH}) as n`,
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < BATCH) return total;
  }
}

/** Sent (or failed, skipped) messages older than `before`: recipient and texts blanked, in batches. */
async function blankMessages(db: Db, structureId: string, before: Date, dryRun: boolean): Promise<number> {
  const old = and(
    eq(notification.structureId, structureId),
    lt(notification.createdAt, before),
    notInArray(notification.status, ["pending", "sending"]),
    or(
      sql`${notification.recipient} <> ''`,
      sql`${notification.body} <> ''`,
      sql`${notification.subject} <> ''`,
    ),
  );
  if (dryRun) {
    const [row] = await db.select({ n: count() }).from(notification).where(old);
    return row?.n ?? 0;
  }
  let total = 0;
  for (;;) {
    const batch = db.select({ id: notification.id }).from(notification).where(old).limit(BATCH);
    const done = await db
      .update(notification)
      .set({
        recipient: "",
        subject: "",
        body: "",
        html: null,
        attachments: null,
        headers: null,
        lastError: "",
      })
      .where(inArray(notification.id, batch))
      .returning({ id: notification.id });
    total += done.length;
    if (done.length < BATCH) return total;
  }
}

/** Everything one structure's rules reach at `now`. */
export async function runForStructure(
  db: Db,
  structureId: string,
  now: Date,
  options: RunOptions,
): Promise<RetentionCounts> {
  const settings = await loadRetentionSettings(db, structureId);
  const c = cutoffs(settings, now);
  // Erase first: a file archived in this run is not erased in the same run.
  const { erased, failed } = await eraseDue(db, structureId, c.eraseArchivedBefore, now, options);
  return {
    ...noCounts(),
    erased,
    failed,
    archived: await archiveDue(db, structureId, c.archiveBefore, now, options.dryRun),
    journalRows: await purgeJournal(db, structureId, c.journalBefore, options.dryRun),
    messages: await blankMessages(db, structureId, c.messagesBefore, options.dryRun),
  };
}

/** Sessions ended and sign-in attempts made more than 30 days ago; the journal rows of no structure. */
export async function runNational(db: Db, now: Date, options: RunOptions): Promise<RetentionCounts> {
  const before = daysBefore(now, SESSION_RETENTION_DAYS);
  const oldSessions = lt(session.expiresAt, before);
  const oldAttempts = lt(authAttempt.at, before);
  const journalBefore = cutoffs(settingsOrDefaults(undefined), now).journalBefore;
  const journalRows = await purgeJournal(db, null, journalBefore, options.dryRun);
  if (options.dryRun) {
    const [s] = await db.select({ n: count() }).from(session).where(oldSessions);
    const [a] = await db.select({ n: count() }).from(authAttempt).where(oldAttempts);
    return { ...noCounts(), journalRows, sessions: s?.n ?? 0, signInAttempts: a?.n ?? 0 };
  }
  const sessions = await db.delete(session).where(oldSessions).returning({ k: session.tokenHash });
  const attempts = await db.delete(authAttempt).where(oldAttempts).returning({ k: authAttempt.id });
  return { ...noCounts(), journalRows, sessions: sessions.length, signInAttempts: attempts.length };
}

/** "3 dossiers archivés, …": what a run did, in counts only (the job's result and the journal's reason). */
export function describeCounts(c: RetentionCounts): string {
  return [
    ...retentionCountWords(c),
    `${plural(c.sessions, "session", "sessions")} et ${plural(c.signInAttempts, "tentative de connexion supprimée", "tentatives de connexion supprimées")}`,
  ].join(", ");
}
