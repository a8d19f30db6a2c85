import { and, eq } from "drizzle-orm";
import {
  type DocumentKind,
  type Documents,
  type DocumentView,
  isJudicialKind,
  type UploadFields,
  uploadFieldsSchema,
} from "../../../../common/documents/documents.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { documentKeyring, putStoredFile, readStoredFile } from "../../../core/fileStore";
import { alreadyCreated } from "../../../core/retriedCreation";
import { lockRows } from "../../../core/rowLocks";
import { demarche, document } from "../../../db/schema";
import { assertFileOpen } from "../../people/openFile";
import { mayWorkOnFile, nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { today } from "../access";
import { documentWords } from "../journalWords";
import { documentViews, shareStructures, shareTargets } from "../queries";
import { preparedFile } from "../rules";

type Found = NonNullable<Awaited<ReturnType<typeof findVisiblePerson>>>;

/**
 * Documents are added by those who work on the file (`mayWorkOnFile`: the referent CPIP, the
 * direction, a counselor whose scope holds the person), never by a CPIP who only reads a colleague's
 * person; a judicial one (ADR 0027: the CPIP side and the direction) only by those who edit the file
 * and see its judicial fields — the referent CPIP and the direction.
 */
const mayUpload = (found: Found): boolean => mayWorkOnFile(found);
const mayUploadJudicial = (found: Found): boolean => found.edit && found.full;

/** The documents of a person the actor may see (a counselor never sees a judicial one); journaled. */
export async function listDocuments(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  demarcheId?: string,
): Promise<Documents> {
  const scope = nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    const documents = await documentViews(
      tx,
      scope,
      and(eq(document.personId, personId), demarcheId ? eq(document.demarcheId, demarcheId) : undefined),
      today(ctx.clock.now()),
    );
    await journalFor(tx, ctx, {
      action: "person.documents_read",
      targetType: "person",
      targetId: personId,
      structureId: found.person.structureId,
      reason: `${documents.length} documents`,
    });
    const open = found.person.closedAt === null && found.person.archivedAt === null;
    return {
      documents,
      permissions: { upload: open && mayUpload(found), uploadJudicial: open && mayUploadJudicial(found) },
      shareTargets: found.full ? await shareTargets(tx, personId) : [],
      shareStructures: found.full ? await shareStructures(tx, found.person.structureId) : [],
    };
  });
}

/** Before the file is read: the person is seen (404), the file open (409). */
export async function assertMayUpload(deps: Deps, ctx: RequestContext, personId: string): Promise<void> {
  const scope = nominativeScope(ctx.actor);
  await deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    await assertFileOpen(tx, personId);
    if (!mayUpload(found)) throw errors.access.forbidden();
  });
}

/** The multipart fields, checked like a JSON body: every issue listed under `body.<field>`. */
export function parseUploadFields(fields: Record<string, string>): UploadFields {
  const parsed = uploadFieldsSchema.safeParse(fields);
  if (parsed.success) return parsed.data;
  throw errors.request.invalid(
    parsed.error.issues.map((issue) => ({ path: ["body", ...issue.path].join("."), message: issue.message })),
  );
}

/**
 * Stores a document: its type checked on the bytes, a photo reduced and stripped of its metadata,
 * the bytes encrypted; the stored file, the document and the journal row in one transaction.
 * A judicial kind only from the CPIP side or the direction (those who see judicial fields).
 * Sent again under the id its form chose (an answer lost, ADR 0036; twice at once, the second waits
 * for the id's lock and finds the first), the document already stored is answered: no second
 * document, stored file or journal row. Another file or other fields under that id are a 409.
 */
export async function uploadDocument(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  input: { fields: UploadFields; fileName: string; bytes: Uint8Array },
): Promise<DocumentView> {
  const scope = nominativeScope(ctx.actor);
  const kind: DocumentKind = input.fields.kind;
  const prepared = await preparedFile(input.fileName, input.bytes);
  const keyring = documentKeyring(deps.config);
  const documentId = await deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    await assertFileOpen(tx, personId);
    if (!mayUpload(found)) throw errors.access.forbidden();
    if (isJudicialKind(kind) && !mayUploadJudicial(found)) throw errors.document.judicialForbidden();
    const demarcheId = input.fields.demarcheId || null;
    const chosenId = input.fields.id;
    if (
      chosenId &&
      (await alreadyCreated(
        tx,
        ctx,
        { table: document, id: chosenId, scope: [document.personId, personId], creator: document.uploadedBy },
        {
          kind,
          title: input.fields.title,
          demarcheId,
          fileName: prepared.fileName,
          mediaType: prepared.mediaType,
          size: prepared.bytes.length,
          // The same file: the bytes kept the first time (a photo's reduction gives the same bytes).
          storedFileId: async (row: Record<string, unknown>) => {
            const kept =
              typeof row.storedFileId === "string"
                ? await readStoredFile(tx, keyring, row.storedFileId)
                : null;
            return kept?.bytes.equals(prepared.bytes) === true;
          },
        },
        errors.document.retriedWithOtherValues,
      ))
    )
      return chosenId;
    if (demarcheId) {
      const [own] = await tx
        .select({ id: demarche.id })
        .from(demarche)
        .where(and(eq(demarche.id, demarcheId), eq(demarche.personId, personId)));
      if (!own) throw errors.document.unknownDemarche();
    }
    const storedFileId = await putStoredFile(tx, keyring, {
      bytes: prepared.bytes,
      mediaType: prepared.mediaType,
    });
    const [created] = await tx
      .insert(document)
      .values({
        ...(chosenId ? { id: chosenId } : {}),
        structureId: found.person.structureId,
        personId,
        demarcheId,
        kind,
        title: input.fields.title,
        fileName: prepared.fileName,
        mediaType: prepared.mediaType,
        size: prepared.bytes.length,
        uploadedBy: ctx.actor.userId,
        uploadedAt: ctx.clock.now(),
        storedFileId,
      })
      .returning({ id: document.id });
    await journalFor(tx, ctx, {
      action: "document.uploaded",
      targetType: "person",
      targetId: personId,
      structureId: found.person.structureId,
      reason: `${documentWords(kind)} « ${input.fields.title} » (${prepared.bytes.length} octets)`,
    });
    return created!.id;
  });
  const [view] = await documentViews(deps.db, scope, eq(document.id, documentId), today(ctx.clock.now()));
  // Sent again after the document was removed: it is gone from the file, as for any other read.
  if (!view) throw errors.document.notFound();
  return view;
}

/** A soft removal: the document leaves the file, the row and the journal keep what it was. */
export async function removeDocument(
  deps: Deps,
  ctx: RequestContext,
  documentId: string,
): Promise<{ ok: true }> {
  const scope = nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    // Removed twice at once: the second finds it removed (404), with one journal row.
    await lockRows(tx, document, [documentId]);
    const [view] = await documentViews(tx, scope, eq(document.id, documentId), today(ctx.clock.now()));
    if (!view) throw errors.document.notFound();
    await assertFileOpen(tx, view.personId);
    if (!view.permissions.delete) throw errors.access.forbidden();
    const [removed] = await tx
      .update(document)
      .set({ deletedAt: ctx.clock.now(), deletedBy: ctx.actor.userId })
      .where(eq(document.id, documentId))
      .returning({ structureId: document.structureId });
    await journalFor(tx, ctx, {
      action: "document.removed",
      targetType: "person",
      targetId: view.personId,
      structureId: removed?.structureId ?? null,
      reason: `${documentWords(view.kind)} « ${view.title} »`,
    });
    return { ok: true as const };
  });
}
