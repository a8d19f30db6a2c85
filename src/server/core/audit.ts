import type { AuditAction } from "../../common/audit/audit.actions";
import type { Db } from "../db/createDb";
import { auditEvent } from "../db/schema";
import type { RequestContext } from "./context";

export interface AuditEntry {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  structureId?: string | null;
  outcome?: "success" | "denied" | "failure";
  reason?: string;
}

/**
 * A journal row could not be written (whatever the database said): the request fails with a 503
 * and, inside a transaction, nothing of it commits. No answer leaves without its journal row.
 */
export class JournalWriteFailed extends Error {
  constructor(cause: unknown) {
    super("journal write failed", { cause });
    this.name = "JournalWriteFailed";
  }
}

type JournalContext = Pick<RequestContext, "requestId" | "ip" | "clock" | "journaled"> & {
  actorUserId: string | null;
};

/**
 * Appends one row to the journal. Call it with the transaction of the use case so the journal
 * and the data change (or read) commit together.
 */
export function journal(db: Db, ctx: JournalContext, entry: AuditEntry): Promise<void> {
  return journalRows(db, ctx, [entry]);
}

/** Shortcut for a use case running for an authenticated actor. */
export function journalFor(db: Db, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  return journal(db, { ...ctx, actorUserId: ctx.actor.userId }, entry);
}

/** Rows per insert statement (10 parameters a row, far below PostgreSQL's 65,535). */
const JOURNAL_SLICE = 1000;

/**
 * Appends many rows to the journal, a few statements for thousands of rows (one row per person a
 * nominative list or export contained, ADR 0010), with `journal`'s guarantee.
 */
export function journalManyFor(db: Db, ctx: RequestContext, entries: readonly AuditEntry[]): Promise<void> {
  return journalRows(db, { ...ctx, actorUserId: ctx.actor.userId }, entries);
}

/**
 * The rows, at one instant, in slices of `JOURNAL_SLICE`: a row that cannot be written raises
 * `JournalWriteFailed`, and inside a transaction nothing of the use case commits.
 */
async function journalRows(db: Db, ctx: JournalContext, entries: readonly AuditEntry[]): Promise<void> {
  const at = ctx.clock.now();
  for (let from = 0; from < entries.length; from += JOURNAL_SLICE) {
    const rows = entries.slice(from, from + JOURNAL_SLICE).map((entry) => ({
      action: entry.action,
      targetType: entry.targetType ?? "",
      targetId: entry.targetId ?? "",
      outcome: entry.outcome ?? "success",
      at,
      actorUserId: ctx.actorUserId,
      structureId: entry.structureId ?? null,
      requestId: ctx.requestId,
      reason: entry.reason ?? "",
      ip: ctx.ip,
    }));
    try {
      await db.insert(auditEvent).values(rows);
    } catch (cause) {
      throw new JournalWriteFailed(cause);
    }
    for (const { action, targetType, targetId, outcome } of rows)
      ctx.journaled?.push({ action, targetType, targetId, outcome });
  }
}
