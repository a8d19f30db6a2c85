/**
 * The signed PDF of a convention (ADR 0030): checked to be a PDF by its content (file-type), 10 MB
 * at most, stored encrypted (core/fileStore.ts), replaced in one transaction; downloaded by the
 * direction only, each download journaled.
 */

import { eq } from "drizzle-orm";
import { MAX_SIGNED_PDF_BYTES } from "../../../../common/conventions/conventions.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { fileKindOf } from "../../../core/fileKind";
import { deleteStoredFile, documentKeyring, putStoredFile, readStoredFile } from "../../../core/fileStore";
import { convention } from "../../../db/schema";
import { readableConvention } from "./Conventions";

/** A name safe in a Content-Disposition header and on any disk. */
export function safePdfName(name: string): string {
  const base = name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/\.pdf$/i, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `${base || "convention"}.pdf`;
}

/** Checked before the upload is read: who may not attach gets 404/403, not an upload error. */
export async function assertMayAttach(deps: Deps, ctx: RequestContext, conventionId: string): Promise<void> {
  const found = await readableConvention(deps.db, ctx, conventionId);
  if (!found.permissions.edit) throw errors.access.forbidden();
}

export async function uploadSignedFile(
  deps: Deps,
  ctx: RequestContext,
  conventionId: string,
  file: { fileName: string; bytes: Buffer },
): Promise<{ name: string; size: number }> {
  if (file.bytes.length > MAX_SIGNED_PDF_BYTES) throw errors.convention.tooLarge();
  const type = await fileKindOf(file.bytes);
  if (type?.mime !== "application/pdf") throw errors.convention.notPdf(type?.words);
  const name = safePdfName(file.fileName);
  return deps.db.transaction(async (tx) => {
    const found = await readableConvention(tx, ctx, conventionId);
    if (!found.permissions.edit) throw errors.access.forbidden();
    const [row] = await tx.select().from(convention).where(eq(convention.id, conventionId)).for("update");
    if (row!.status === "ended") throw errors.convention.ended();
    const fileId = await putStoredFile(tx, documentKeyring(deps.config), {
      bytes: file.bytes,
      mediaType: "application/pdf",
    });
    await tx
      .update(convention)
      .set({ signedFileId: fileId, signedFileName: name, updatedAt: ctx.clock.now() })
      .where(eq(convention.id, conventionId));
    if (row!.signedFileId) await deleteStoredFile(tx, row!.signedFileId);
    await journalFor(tx, ctx, {
      action: "convention.file_attached",
      targetType: "convention",
      targetId: conventionId,
      structureId: found.structureId,
      reason: `${name} (${file.bytes.length} octets)`,
    });
    return { name, size: file.bytes.length };
  });
}

export async function downloadSignedFile(
  deps: Deps,
  ctx: RequestContext,
  conventionId: string,
): Promise<{ name: string; bytes: Buffer }> {
  return deps.db.transaction(async (tx) => {
    const found = await readableConvention(tx, ctx, conventionId);
    if (!found.permissions.downloadSignedFile) throw errors.access.forbidden();
    const [row] = await tx
      .select({ fileId: convention.signedFileId, name: convention.signedFileName })
      .from(convention)
      .where(eq(convention.id, conventionId));
    if (!row?.fileId) throw errors.convention.noSignedFile();
    const stored = await readStoredFile(tx, documentKeyring(deps.config), row.fileId);
    if (!stored) throw errors.convention.noSignedFile();
    await journalFor(tx, ctx, {
      action: "convention.file_downloaded",
      targetType: "convention",
      targetId: conventionId,
      structureId: found.structureId,
      reason: row.name ?? "",
    });
    return { name: row.name ?? "convention.pdf", bytes: stored.bytes };
  });
}
