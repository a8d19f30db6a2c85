import type { FastifyInstance, FastifyRequest } from "fastify";
import { documentsRoutes } from "../../../common/documents/documents.routes";
import { MAX_DOCUMENT_BYTES } from "../../../common/documents/documents.schema";
import { errors } from "../../../common/errors";
import type { Deps } from "../../core/deps";
import { attachmentHeader } from "../../domains/documents/rules";
import {
  assertMayUpload,
  listDocuments,
  parseUploadFields,
  removeDocument,
  uploadDocument,
} from "../../domains/documents/use-cases/Documents";
import { downloadDocument } from "../../domains/documents/use-cases/Download";
import {
  orientationDocuments,
  receivedDocuments,
  shareDocument,
  withdrawShare,
} from "../../domains/documents/use-cases/Shares";
import { CONTROL_CHARACTER_MESSAGE, controlCharacterPaths } from "../controlCharacters";
import { mount } from "../mount";

/** Room for the multipart envelope and the fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The fields and the one file of an upload, read into memory up to the limit: a request announcing
 * more is refused before anything is read, a file passing the limit when it does.
 */
async function receiveDocument(
  req: FastifyRequest,
): Promise<{ fields: Record<string, string>; fileName: string; bytes: Uint8Array }> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_DOCUMENT_BYTES + ENVELOPE_BYTES)
    throw errors.document.tooLarge();
  if (!req.isMultipart()) throw errors.document.noFile();
  const fields: Record<string, string> = {};
  let file: { fileName: string; bytes: Uint8Array } | null = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 5 } })) {
      if (part.type === "file") {
        const bytes = await part.toBuffer();
        if (part.fieldname === "file") file = { fileName: part.filename, bytes };
      } else if (typeof part.value === "string") {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (cause) {
    if ((cause as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") throw errors.document.tooLarge();
    throw cause;
  }
  // The mount checks JSON bodies; multipart fields are checked here the same way.
  const controlIssues = controlCharacterPaths(fields, "body");
  if (controlIssues.length > 0)
    throw errors.request.invalid(controlIssues.map((path) => ({ path, message: CONTROL_CHARACTER_MESSAGE })));
  if (!file || file.bytes.length === 0) throw errors.document.noFile();
  return { fields, ...file };
}

export function documentsRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, documentsRoutes.list, ({ params, query, ctx }) =>
    listDocuments(deps, ctx, params.personId, query.demarcheId),
  );
  mount(app, deps, documentsRoutes.upload, async ({ params, req, ctx }) => {
    await assertMayUpload(deps, ctx, params.personId);
    const received = await receiveDocument(req);
    const fields = parseUploadFields(received.fields);
    return uploadDocument(deps, ctx, params.personId, {
      fields,
      fileName: received.fileName,
      bytes: received.bytes,
    });
  });
  mount(app, deps, documentsRoutes.download, async ({ params, ctx, reply }) => {
    const file = await downloadDocument(deps, ctx, params.documentId);
    reply
      .type(file.mediaType)
      .header("content-disposition", attachmentHeader(file.fileName))
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", "default-src 'none'; sandbox");
    return file.bytes;
  });
  mount(app, deps, documentsRoutes.remove, ({ params, ctx }) => removeDocument(deps, ctx, params.documentId));
  mount(app, deps, documentsRoutes.share, ({ params, body, ctx }) =>
    shareDocument(deps, ctx, params.documentId, body),
  );
  mount(app, deps, documentsRoutes.withdrawShare, ({ params, ctx }) =>
    withdrawShare(deps, ctx, params.shareId),
  );
  mount(app, deps, documentsRoutes.ofOrientation, ({ params, ctx }) =>
    orientationDocuments(deps, ctx, params.orientationId),
  );
  mount(app, deps, documentsRoutes.received, ({ params, ctx }) =>
    receivedDocuments(deps, ctx, params.structureId),
  );
}
