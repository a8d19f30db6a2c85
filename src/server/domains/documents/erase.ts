import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import { document, documentShare, storedFile } from "../../db/schema";

/**
 * A person's erasure (ADR 0024, 0027): their documents, their shares and the encrypted files go,
 * removed ones included. Called inside the erasure's transaction. Returns how many documents went.
 */
export async function eraseDocumentsOf(tx: Db, personId: string): Promise<number> {
  const rows = await tx
    .select({ id: document.id, storedFileId: document.storedFileId })
    .from(document)
    .where(eq(document.personId, personId));
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  const files = rows.flatMap((r) => (r.storedFileId ? [r.storedFileId] : []));
  await tx.delete(documentShare).where(inArray(documentShare.documentId, ids));
  await tx.delete(document).where(inArray(document.id, ids));
  if (files.length > 0) await tx.delete(storedFile).where(inArray(storedFile.id, files));
  return rows.length;
}
