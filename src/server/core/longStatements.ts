import { sql } from "drizzle-orm";
import type { Deps } from "./deps";

/** Exports read a whole period: without EXPORT_TIMEOUT_MS (tests), two minutes. */
const DEFAULT_EXPORT_TIMEOUT_MS = 120_000;

/**
 * Runs a file export in one transaction whose statements may run up to EXPORT_TIMEOUT_MS instead
 * of the pool's DB_STATEMENT_TIMEOUT_MS (`set_config(…, true)` is `SET LOCAL`: it ends with the
 * transaction, the pooled connection keeps its own limit). Lock waits keep the short limit.
 */
export async function withExportStatementTimeout<T>(
  deps: Deps,
  work: (deps: Deps) => Promise<T>,
): Promise<T> {
  const ms = deps.config.EXPORT_TIMEOUT_MS ?? DEFAULT_EXPORT_TIMEOUT_MS;
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('statement_timeout', ${String(ms)}, true)`);
    return work({ ...deps, db: tx });
  });
}
