import { isDeepStrictEqual } from "node:util";
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { AuditAction } from "../../common/audit/audit.actions";
import { errors } from "../../common/errors";
import type { Db } from "../db/createDb";
import { auditEvent } from "../db/schema";
import type { RequestContext } from "./context";

/**
 * What a retry must have written the first time: a column's value, or a check of the stored row —
 * which may read the record's other rows (its parties, organisers, measure…): a check runs only once
 * the record's row is seen, so it reads them as the same committed write left them (ADR 0036). Read
 * before the row, a creation committing in between would show the row without them: a false 409.
 */
export type ExpectedContent = Record<
  string,
  unknown | ((row: Record<string, unknown>) => boolean | Promise<boolean>)
>;

/** A record a form creates under an id it chose (ADR 0036), and whose it is. */
export interface ChosenIdRecord {
  table: PgTable & { id: PgColumn };
  id: string;
  /** The column that places the record (its person, structure, directory entry, site…) and its value here. */
  scope: [PgColumn, string];
  /**
   * Who created it: the table's column naming its author (`created_by`, a note's author), or for a
   * table without one the action of the creation's journal row (target_id = the record's id,
   * actor = the agent), written in the same transaction as the record.
   */
  creator: PgColumn | { journaled: AuditAction };
}

/**
 * A creation sent again with the id its form chose (an answer lost, ADR 0036): true when that record
 * exists already, in this scope and by this agent, with the content sent again (the caller answers
 * it as it is, writing nothing); false when the id is new. An id already used in another scope (another
 * person, structure, entry…) or by another agent is a 400. A retry whose content differs from the
 * record's (a field changed before submitting again) is `differs()`, a 409 saying the first
 * submission was recorded with its values: answering the record as if the change had been saved
 * would hide that it was not.
 *
 * Takes a transaction-level lock on the id first: two requests under the same id take turns, the
 * second answered as a retry sent afterwards (ADR 0036, "The same creation twice at once").
 */
export async function alreadyCreated(
  tx: Db,
  ctx: RequestContext,
  record: ChosenIdRecord,
  expected: ExpectedContent,
  differs: () => Error,
): Promise<boolean> {
  const { table, id, scope, creator } = record;
  const userId = ctx.actor.userId;
  // The same id sent twice at once: the second waits here until the first has committed (or rolled
  // back), then reads its record. Without it, the second's checks after a miss (a démarche handed over
  // by an orientation, a period over the first's, …) could see the first's write and refuse it.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`chosen-id|${id}`}, 0))`);
  const byAgent =
    "journaled" in creator
      ? sql<boolean>`exists (select 1 from ${auditEvent} where ${and(
          eq(auditEvent.action, creator.journaled),
          eq(auditEvent.targetId, sql`${table.id}::text`),
          eq(auditEvent.actorUserId, userId),
          eq(auditEvent.outcome, "success"),
        )})`
      : sql<boolean>`coalesce(${creator} = ${userId}, false)`;
  const [found] = await tx
    .select({
      row: getTableColumns(table),
      ours: sql<boolean>`coalesce(${scope[0]} = ${scope[1]}, false) and ${byAgent}`,
    })
    .from(table)
    .where(eq(table.id, id));
  if (!found) return false;
  if (!found.ours)
    throw errors.request.invalid([{ path: "body.id", message: "Cet identifiant est déjà utilisé." }]);
  const row = found.row as Record<string, unknown>;
  for (const [column, value] of Object.entries(expected)) {
    const same =
      typeof value === "function" ? await value(row) : isDeepStrictEqual(row[column] ?? null, value ?? null);
    if (!same) throw differs();
  }
  return true;
}
