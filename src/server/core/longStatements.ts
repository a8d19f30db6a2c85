import { transactionStatementTimeout } from "../db/createDb";
import type { Deps } from "./deps";

/**
 * Runs a long export (`longExport` route, run so by `mount`) in one transaction whose statements may run up to EXPORT_TIMEOUT_MS instead
 * of the pool's DB_STATEMENT_TIMEOUT_MS (`set_config(…, true)` is `SET LOCAL`: it ends with the
 * transaction, the pooled connection keeps its own limit). Lock waits keep the short limit.
 */
export async function withExportStatementTimeout<T>(
  deps: Deps,
  work: (deps: Deps) => Promise<T>,
): Promise<T> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(transactionStatementTimeout(deps.config.EXPORT_TIMEOUT_MS));
    return work({ ...deps, db: tx });
  });
}
