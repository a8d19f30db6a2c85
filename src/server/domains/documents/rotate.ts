import { and, asc, gt, ne, sql } from "drizzle-orm";
import type { DocumentKeyring } from "../../core/fileStore";
import { reencryptStoredFile } from "../../core/fileStore";
import type { Db } from "../../db/createDb";
import { storedFile } from "../../db/schema";

export interface RotationProgress {
  /** Rows under another key than the current one when the rotation started. */
  total: number;
  done: number;
}

const BATCH = 50;

/**
 * Re-encrypts under the current key every stored file (documents, conventions) still under an older
 * one, one row per transaction (a row is locked only while it is rewritten: the server may run).
 * Reports progress after each batch. Safe to run again: rows already under the current key are left.
 */
export async function rotateStoredFiles(
  db: Db,
  keyring: DocumentKeyring,
  onProgress: (progress: RotationProgress) => void = () => {},
): Promise<RotationProgress> {
  const current = keyring.current.id;
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(storedFile)
    .where(ne(storedFile.keyId, current));
  const progress: RotationProgress = { total: count?.n ?? 0, done: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await db
      .select({ id: storedFile.id })
      .from(storedFile)
      .where(and(ne(storedFile.keyId, current), gt(storedFile.id, after)))
      .orderBy(asc(storedFile.id))
      .limit(BATCH);
    if (batch.length === 0) break;
    for (const row of batch) {
      if (await db.transaction((tx) => reencryptStoredFile(tx, keyring, row.id))) progress.done += 1;
    }
    after = batch.at(-1)!.id;
    onProgress({ ...progress });
  }
  return progress;
}
