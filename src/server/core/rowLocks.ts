import { eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../db/createDb";

/**
 * Inside a write transaction, before reading the state it checks: the rows it is about to change
 * are locked (`select … for no key update`), so that a concurrent request doing the same waits for
 * this one to commit, then reads the state it left (READ COMMITTED: each statement sees what was
 * committed before it started) and is refused as a request sent afterwards would be, instead of both
 * passing the check and both writing. Several rows are locked one by one in the order of their ids,
 * the same order for every request, so that two requests locking the same rows cannot deadlock.
 * `no key update` (what an UPDATE of non-key columns takes) still lets rows referencing these be
 * inserted. A missing row locks nothing: the read that follows answers its 404.
 */
export async function lockRows(tx: Db, table: PgTable & { id: PgColumn }, ids: string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await tx.select({ id: table.id }).from(table).where(eq(table.id, id)).for("no key update");
  }
}
