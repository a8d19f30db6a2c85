import type { FastifyInstance, FastifyRequest } from "fastify";
import { errors } from "../../../common/errors";
import { importsRoutes, MAX_IMPORT_BYTES } from "../../../common/imports/imports.routes";
import type { Deps } from "../../core/deps";
import { assertMayImport } from "../../domains/imports/access";
import { previewImport } from "../../domains/imports/use-cases/PreviewImport";
import { importReport, importSummary, runImportBatch } from "../../domains/imports/use-cases/RunImport";
import { uploadImport } from "../../domains/imports/use-cases/UploadImport";
import { asAttachment } from "../attachment";
import { mount } from "../mount";
import { receiveUpload } from "../multipart";

/** The uploaded file, read into memory only up to the limit. */
const receiveFile = (req: FastifyRequest) =>
  receiveUpload(req, {
    maxBytes: MAX_IMPORT_BYTES,
    fields: [],
    tooLarge: errors.imports.tooLarge,
    noFile: errors.imports.noFile,
  });

export function importsRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, importsRoutes.upload, async ({ params, req, ctx }) => {
    assertMayImport(ctx, params.structureId);
    return uploadImport(deps, ctx, params.structureId, await receiveFile(req));
  });
  mount(app, deps, importsRoutes.preview, ({ params, body, ctx }) =>
    previewImport(deps, ctx, params.importId, body.mapping),
  );
  mount(app, deps, importsRoutes.run, ({ params, body, ctx }) =>
    runImportBatch(deps, ctx, params.importId, body),
  );
  mount(app, deps, importsRoutes.summary, ({ params, ctx }) => importSummary(deps, ctx, params.importId));
  mount(app, deps, importsRoutes.report, async ({ params, ctx, reply }) => {
    const file = await importReport(deps, ctx, params.importId);
    asAttachment(reply, "text/csv; charset=utf-8", file.filename);
    return file.body;
  });
}
