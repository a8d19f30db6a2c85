import type { FastifyInstance, FastifyRequest } from "fastify";
import { conventionsRoutes } from "../../../common/conventions/conventions.routes";
import { MAX_SIGNED_PDF_BYTES } from "../../../common/conventions/conventions.schema";
import { errors } from "../../../common/errors";
import type { Deps } from "../../core/deps";
import {
  conventionAlerts,
  conventionFormOptions,
  createConvention,
  endConvention,
  getConvention,
  listConventions,
  renewConvention,
  saveConventionSettings,
  updateConvention,
} from "../../domains/conventions/use-cases/Conventions";
import {
  assertMayAttach,
  downloadSignedFile,
  uploadSignedFile,
} from "../../domains/conventions/use-cases/SignedFile";
import { asAttachment } from "../attachment";
import { mount } from "../mount";
import { receiveUpload } from "../multipart";

/** The uploaded PDF, read up to the limit. */
const receivePdf = (req: FastifyRequest) =>
  receiveUpload(req, {
    maxBytes: MAX_SIGNED_PDF_BYTES,
    fields: [],
    tooLarge: errors.convention.tooLarge,
    noFile: errors.convention.noFile,
  });

export function conventionsRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, conventionsRoutes.list, ({ params, query, ctx }) =>
    listConventions(deps, ctx, params.structureId, query),
  );
  mount(app, deps, conventionsRoutes.formOptions, ({ params, ctx }) =>
    conventionFormOptions(deps, ctx, params.structureId),
  );
  mount(app, deps, conventionsRoutes.alerts, ({ params, ctx }) =>
    conventionAlerts(deps, ctx, params.structureId),
  );
  mount(app, deps, conventionsRoutes.saveSettings, ({ params, body, ctx }) =>
    saveConventionSettings(deps, ctx, params.structureId, body.alertDays),
  );
  mount(app, deps, conventionsRoutes.get, ({ params, ctx }) => getConvention(deps, ctx, params.conventionId));
  mount(app, deps, conventionsRoutes.create, ({ params, body, ctx }) =>
    createConvention(deps, ctx, params.structureId, body),
  );
  mount(app, deps, conventionsRoutes.update, ({ params, body, ctx }) =>
    updateConvention(deps, ctx, params.conventionId, body),
  );
  mount(app, deps, conventionsRoutes.renew, ({ params, body, ctx }) =>
    renewConvention(deps, ctx, params.conventionId, body),
  );
  mount(app, deps, conventionsRoutes.end, ({ params, body, ctx }) =>
    endConvention(deps, ctx, params.conventionId, body.endedOn),
  );
  mount(app, deps, conventionsRoutes.uploadSignedFile, async ({ params, req, ctx }) => {
    await assertMayAttach(deps, ctx, params.conventionId);
    return uploadSignedFile(deps, ctx, params.conventionId, await receivePdf(req));
  });
  mount(app, deps, conventionsRoutes.signedFile, async ({ params, ctx, reply }) => {
    const file = await downloadSignedFile(deps, ctx, params.conventionId);
    asAttachment(reply, "application/pdf", file.name);
    return new Uint8Array(file.bytes);
  });
}
