import type { FastifyInstance } from "fastify";
import { errors } from "../../../common/errors";
import { newsletterRoutes } from "../../../common/newsletter/newsletter.routes";
import { tokenParamsSchema } from "../../../common/newsletter/newsletter.schema";
import type { Deps } from "../../core/deps";
import { listArchive, readArchivedIssue } from "../../domains/newsletter/use-cases/Archive";
import {
  createIssue,
  getIssue,
  listIssues,
  previewEmailHtml,
  previewIssue,
  removeIssue,
  updateIssue,
} from "../../domains/newsletter/use-cases/Issues";
import { sendIssue } from "../../domains/newsletter/use-cases/SendIssue";
import { unsubscribe, unsubscribeInfo } from "../../domains/newsletter/use-cases/Unsubscribe";
import { mount, requestMeta } from "../mount";

/** The e-mail preview is shown in a frame: its own page may hold inline styles, never a script. */
const EMAIL_PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

export function newsletterRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, newsletterRoutes.list, ({ params, ctx }) => listIssues(deps, ctx, params.structureId));
  mount(app, deps, newsletterRoutes.create, ({ params, body, ctx }) =>
    createIssue(deps, ctx, params.structureId, body),
  );
  mount(app, deps, newsletterRoutes.get, ({ params, ctx }) => getIssue(deps, ctx, params.issueId));
  mount(app, deps, newsletterRoutes.update, ({ params, body, ctx }) =>
    updateIssue(deps, ctx, params.issueId, body),
  );
  mount(app, deps, newsletterRoutes.remove, ({ params, ctx }) => removeIssue(deps, ctx, params.issueId));
  mount(app, deps, newsletterRoutes.preview, ({ params, ctx }) => previewIssue(deps, ctx, params.issueId));
  mount(app, deps, newsletterRoutes.previewEmail, async ({ params, ctx, reply }) => {
    const html = await previewEmailHtml(deps, ctx, params.issueId);
    reply
      .type("text/html; charset=utf-8")
      .header("content-security-policy", EMAIL_PREVIEW_CSP)
      .header("x-frame-options", "SAMEORIGIN")
      .header("cache-control", "no-store");
    return Buffer.from(html, "utf8");
  });
  mount(app, deps, newsletterRoutes.send, ({ params, body, ctx }) =>
    sendIssue(deps, ctx, params.issueId, body.recipients),
  );
  mount(app, deps, newsletterRoutes.archive, ({ params, ctx }) => listArchive(deps, ctx, params.structureId));
  mount(app, deps, newsletterRoutes.archiveIssue, ({ params, ctx }) =>
    readArchivedIssue(deps, ctx, params.issueId),
  );
  mount(app, deps, newsletterRoutes.unsubscribeInfo, ({ params }) => unsubscribeInfo(deps, params.token));
  mount(app, deps, newsletterRoutes.unsubscribe, ({ params, meta }) => unsubscribe(deps, meta, params.token));

  // RFC 8058 one-click unsubscribe: the mail client POSTs "List-Unsubscribe=One-Click" (a form body)
  // to the very link of the List-Unsubscribe header. No session, no page; a GET of the same address
  // is the web page asking for confirmation.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_req, body, done) => done(null, body),
    );
    scope.post("/desabonnement/:token", { schema: { hide: true } }, async (req, reply) => {
      const parsed = tokenParamsSchema.safeParse(req.params);
      // A malformed link is as unknown as a forged one: the catalogue's French 404 (ADR 0032).
      if (!parsed.success) throw errors.newsletter.unknownLink();
      await unsubscribe(deps, requestMeta(req), parsed.data.token);
      return reply.code(200).type("text/plain; charset=utf-8").send("Désabonnement enregistré.");
    });
  });
}
