import type { FastifyInstance, FastifyReply } from "fastify";
import { retentionRoutes } from "../../../common/retention/retention.routes";
import type { Deps } from "../../core/deps";
import { type DataFile, exportPersonData } from "../../domains/retention/use-cases/ExportPersonData";
import {
  getRetentionPreview,
  restoreFile,
  runRetentionNow,
  saveRetentionSettings,
} from "../../domains/retention/use-cases/Retention";
import { asAttachment } from "../attachment";
import { mount } from "../mount";

export function retentionRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, retentionRoutes.preview, ({ params, ctx }) =>
    getRetentionPreview(deps, ctx, params.structureId),
  );
  mount(app, deps, retentionRoutes.saveSettings, ({ params, body, ctx }) =>
    saveRetentionSettings(deps, ctx, params.structureId, body),
  );
  mount(app, deps, retentionRoutes.run, ({ params, body, ctx }) =>
    runRetentionNow(deps, ctx, params.structureId, body.dryRun),
  );
  mount(app, deps, retentionRoutes.restore, ({ params, ctx }) => restoreFile(deps, ctx, params.personId));
  const send = (reply: FastifyReply, file: DataFile): Uint8Array => {
    asAttachment(reply, file.type, file.filename);
    return file.body;
  };
  mount(app, deps, retentionRoutes.exportJson, async ({ params, ctx, reply }) =>
    send(reply, await exportPersonData(deps, ctx, params.personId, "json")),
  );
  mount(app, deps, retentionRoutes.exportPdf, async ({ params, ctx, reply }) =>
    send(reply, await exportPersonData(deps, ctx, params.personId, "pdf")),
  );
}
