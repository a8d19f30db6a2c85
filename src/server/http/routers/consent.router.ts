import type { FastifyInstance } from "fastify";
import { consentRoutes } from "../../../common/consent/consent.routes";
import type { Deps } from "../../core/deps";
import { listConsents, recordConsent, revokeConsent } from "../../domains/consent/use-cases/Consents";
import { addNote, listNotes } from "../../domains/consent/use-cases/Notes";
import { mount } from "../mount";

export function consentRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, consentRoutes.list, ({ params, ctx }) => listConsents(deps, ctx, params.personId));
  mount(app, deps, consentRoutes.record, ({ params, body, ctx }) =>
    recordConsent(deps, ctx, params.personId, body),
  );
  mount(app, deps, consentRoutes.revoke, ({ params, ctx }) => revokeConsent(deps, ctx, params.consentId));
  mount(app, deps, consentRoutes.notes, ({ params, ctx }) => listNotes(deps, ctx, params.personId));
  mount(app, deps, consentRoutes.addNote, ({ params, body, ctx }) =>
    addNote(deps, ctx, params.personId, body),
  );
}
