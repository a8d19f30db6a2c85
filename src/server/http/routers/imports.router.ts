import type { FastifyInstance, FastifyRequest } from "fastify";
import { errors } from "../../../common/errors";
import { importsRoutes, MAX_IMPORT_BYTES } from "../../../common/imports/imports.routes";
import type { Deps } from "../../core/deps";
import { assertMayImport } from "../../domains/imports/access";
import { previewImport } from "../../domains/imports/use-cases/PreviewImport";
import { importReport, importSummary, runImportBatch } from "../../domains/imports/use-cases/RunImport";
import { uploadImport } from "../../domains/imports/use-cases/UploadImport";
import { mount } from "../mount";

/** Room for the multipart envelope around the file. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The uploaded file, read into memory only up to the limit: a request announcing more is refused
 * before anything is read, and a file that turns out larger is refused when it passes the limit.
 */
async function receiveFile(req: FastifyRequest): Promise<{ fileName: string; bytes: Uint8Array }> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_IMPORT_BYTES + ENVELOPE_BYTES)
    throw errors.imports.tooLarge();
  if (!req.isMultipart()) throw errors.imports.noFile();
  const part = await req.file({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } });
  if (!part) throw errors.imports.noFile();
  try {
    return { fileName: part.filename, bytes: await part.toBuffer() };
  } catch (cause) {
    if ((cause as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") throw errors.imports.tooLarge();
    throw cause;
  }
}

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
    reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${file.filename}"`);
    return file.body;
  });
}
