import type { FastifyInstance, FastifyRequest } from "fastify";
import { documentsRoutes } from "../../../common/documents/documents.routes";
import { MAX_DOCUMENT_BYTES, uploadFieldsSchema } from "../../../common/documents/documents.schema";
import { errors } from "../../../common/errors";
import type { Deps } from "../../core/deps";
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
import { asAttachment } from "../attachment";
import { mount } from "../mount";
import { type ReceivedUpload, receiveUpload } from "../multipart";

/** The fields and the one file of an upload; an empty file is no file (`receiveUpload`). */
function receiveDocument(req: FastifyRequest): Promise<ReceivedUpload> {
  return receiveUpload(req, {
    maxBytes: MAX_DOCUMENT_BYTES,
    fields: Object.keys(uploadFieldsSchema.shape),
    schema: uploadFieldsSchema,
    tooLarge: errors.document.tooLarge,
    noFile: errors.document.noFile,
  });
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
    asAttachment(reply, file.mediaType, file.fileName);
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
