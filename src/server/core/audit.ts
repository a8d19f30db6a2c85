import type { Db } from "../db/createDb";
import { auditEvent } from "../db/schema";
import type { RequestContext } from "./context";

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  structureId?: string | null;
  outcome?: "success" | "denied" | "failure";
  reason?: string;
}

/**
 * Appends one row to the journal. Call it with the transaction of the use case so the journal
 * and the data change (or read) commit together.
 */
export async function journal(
  db: Db,
  ctx: Pick<RequestContext, "requestId" | "ip" | "clock" | "journaled"> & { actorUserId: string | null },
  entry: AuditEntry,
): Promise<void> {
  await db.insert(auditEvent).values({
    at: ctx.clock.now(),
    actorUserId: ctx.actorUserId,
    action: entry.action,
    targetType: entry.targetType ?? "",
    targetId: entry.targetId ?? "",
    structureId: entry.structureId ?? null,
    requestId: ctx.requestId,
    outcome: entry.outcome ?? "success",
    reason: entry.reason ?? "",
    ip: ctx.ip,
  });
  if (ctx.journaled) ctx.journaled.rows += 1;
}

/** Shortcut for a use case running for an authenticated actor. */
export function journalFor(db: Db, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  return journal(db, { ...ctx, actorUserId: ctx.actor.userId }, entry);
}
