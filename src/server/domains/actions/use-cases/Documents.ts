import { and, eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { fileKindOf } from "../../../core/fileKind";
import { documentKeyring, putStoredFile, readStoredFile } from "../../../core/fileStore";
import { collectiveActionDocument } from "../../../db/schema";
import { mayOrganise, mayRecordOutcomes } from "../policies";
import { loadVisibleAction } from "../queries";

const ALLOWED = new Set(["application/pdf", "image/png", "image/jpeg"]);

/** Before reading an upload: the action is visible and the agent may add documents (404/403 first). */
export async function assertMayAddDocument(deps: Deps, ctx: RequestContext, actionId: string): Promise<void> {
  const action = await loadVisibleAction(deps.db, ctx.actor, actionId);
  if (
    !mayOrganise(ctx.actor, action.structureId, action.kind) &&
    !mayRecordOutcomes(ctx.actor, action.structureId, action.kind)
  )
    throw errors.access.forbidden();
}

/** A document of the action (programme, attendance sheet, minutes): PDF or image, checked by content. */
export async function addActionDocument(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  file: { fileName: string; bytes: Buffer },
): Promise<{ id: string }> {
  const detected = await fileKindOf(file.bytes);
  if (!detected || !ALLOWED.has(detected.mime)) throw errors.collectiveAction.notADocument(detected?.words);
  return deps.db.transaction(async (tx) => {
    const action = await loadVisibleAction(tx, ctx.actor, actionId, true);
    if (
      !mayOrganise(ctx.actor, action.structureId, action.kind) &&
      !mayRecordOutcomes(ctx.actor, action.structureId, action.kind)
    )
      throw errors.access.forbidden();
    const fileId = await putStoredFile(tx, documentKeyring(deps.config), {
      bytes: file.bytes,
      mediaType: detected.mime,
    });
    const fileName = file.fileName.replace(/[\\/\p{Cc}"]/gu, "_").slice(0, 200) || "document";
    const [row] = await tx
      .insert(collectiveActionDocument)
      .values({
        actionId: action.id,
        fileId,
        fileName,
        mediaType: detected.mime,
        size: file.bytes.length,
        uploadedBy: ctx.actor.userId,
        createdAt: ctx.clock.now(),
      })
      .returning({ id: collectiveActionDocument.id });
    await journalFor(tx, ctx, {
      action: "collective_action.document_added",
      targetType: "collective_action_document",
      targetId: row!.id,
      structureId: action.structureId,
    });
    return { id: row!.id };
  });
}

/** Downloads a document (every download journaled). */
export async function readActionDocument(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  documentId: string,
): Promise<{ fileName: string; mediaType: string; bytes: Buffer }> {
  return deps.db.transaction(async (tx) => {
    const action = await loadVisibleAction(tx, ctx.actor, actionId);
    const [doc] = await tx
      .select()
      .from(collectiveActionDocument)
      .where(
        and(eq(collectiveActionDocument.id, documentId), eq(collectiveActionDocument.actionId, action.id)),
      );
    if (!doc) throw errors.collectiveAction.notFound();
    const stored = await readStoredFile(tx, documentKeyring(deps.config), doc.fileId);
    if (!stored) throw errors.collectiveAction.notFound();
    await journalFor(tx, ctx, {
      action: "collective_action.document_read",
      targetType: "collective_action_document",
      targetId: doc.id,
      structureId: action.structureId,
    });
    return { fileName: doc.fileName, mediaType: stored.mediaType, bytes: stored.bytes };
  });
}
