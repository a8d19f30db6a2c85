import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { documentKeyring, readStoredFile } from "../../../core/fileStore";
import { mayListPeople, peopleScope } from "../../people/policies";
import { reachDocument } from "../access";
import { documentWords } from "../journalWords";

export interface DownloadedDocument {
  fileName: string;
  mediaType: string;
  bytes: Buffer;
}

/**
 * The decrypted file, for whoever reaches it (the person's structure, a live share): 404 for
 * anyone else, whatever the reason (out of scope, judicial for a counselor, withdrawn share or
 * consent). Each download is journaled (`document.download`, naming the person) before it leaves.
 */
export async function downloadDocument(
  deps: Deps,
  ctx: RequestContext,
  documentId: string,
): Promise<DownloadedDocument> {
  const scope = peopleScope(ctx.actor);
  const keyring = documentKeyring(deps.config);
  return deps.db.transaction(async (tx) => {
    const reached = await reachDocument(
      tx,
      ctx.actor,
      mayListPeople(scope) ? scope : null,
      documentId,
      ctx.clock.now(),
    );
    if (!reached?.doc.storedFileId) throw errors.document.notFound();
    const file = await readStoredFile(tx, keyring, reached.doc.storedFileId);
    if (!file) throw errors.document.notFound();
    await journalFor(tx, ctx, {
      action: "document.download",
      targetType: "person",
      targetId: reached.doc.personId,
      structureId: reached.structureId,
      reason: `${documentWords(reached.doc.kind)} « ${reached.doc.title} », accès ${
        reached.via === "staff"
          ? "de la structure"
          : reached.via === "orientation"
            ? "par une orientation"
            : "par un partage"
      }`,
    });
    return { fileName: reached.doc.fileName, mediaType: file.mediaType, bytes: file.bytes };
  });
}
