import type { Db } from "../db/createDb";
import { errorCode } from "./dbErrors";

/**
 * SQLSTATEs after which PostgreSQL has rolled the whole transaction back because of another one
 * running at the same moment: a deadlock (40P01) or a serialization failure (40001). Nothing of the
 * first attempt remains, so running it again is safe; it then sees what the other committed.
 */
const CONCURRENCY_FAILURES = new Set(["40P01", "40001"]);

export interface TransactionOptions {
  /**
   * Also run again once after a unique violation (23505): for a write whose checks, run again, see
   * the twin another request has just committed (a creation under the id its form chose finds it
   * with `alreadyCreated`; a visit finds the convocation's visit) and so answer as a retry sent
   * afterwards would. Without it, a unique violation goes to the error handler (a 409 for the
   * constraints it knows, `http/errorHandler.ts`).
   */
  retryUniqueViolation?: boolean;
}

/**
 * A write transaction, run once more when it lost a race to a concurrent one (see above). The
 * work must do nothing outside the transaction (no file written, no message sent, no state kept in
 * memory between attempts): only then does the second attempt start from a clean slate. A second
 * failure is thrown (a deadlock or serialization failure is then a 503, `core/dbErrors.ts`).
 */
export async function inTransaction<T>(
  db: Db,
  work: (tx: Db) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    const code = errorCode(error);
    const retry =
      code !== undefined &&
      (CONCURRENCY_FAILURES.has(code) || (options.retryUniqueViolation === true && code === "23505"));
    if (!retry) throw error;
    return db.transaction(work);
  }
}
