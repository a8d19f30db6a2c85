import type { FastifyInstance, FastifyRequest } from "fastify";
import { actionsRoutes, MAX_ACTION_DOCUMENT_BYTES } from "../../../common/actions/actions.routes";
import { errors } from "../../../common/errors";
import type { Deps } from "../../core/deps";
import { answerInvitation, readInvitation } from "../../domains/actions/use-cases/AnswerInvitation";
import { convokeToAction } from "../../domains/actions/use-cases/ConvokeToAction";
import {
  addActionDocument,
  assertMayAddDocument,
  readActionDocument,
} from "../../domains/actions/use-cases/Documents";
import { actionFigures } from "../../domains/actions/use-cases/Figures";
import { invitePartners } from "../../domains/actions/use-cases/Invite";
import { cancelAction, createAction, updateAction } from "../../domains/actions/use-cases/ManageActions";
import {
  actionOptions,
  getAction,
  listActions,
  partnerActions,
} from "../../domains/actions/use-cases/ReadActions";
import { recordOutcomes } from "../../domains/actions/use-cases/RecordOutcomes";
import { steeringCommittee } from "../../domains/actions/use-cases/SteeringCommittee";
import {
  addMember,
  getWorkingGroup,
  planNextMeeting,
  removeMember,
} from "../../domains/actions/use-cases/WorkingGroup";
import { asAttachment } from "../attachment";
import { mount } from "../mount";
import { receiveUpload } from "../multipart";

const ok = { ok: true as const };

/** The uploaded document, read into memory only up to 10 MB: past it a 413, no file a 400 saying what is accepted. */
const receiveDocument = (req: FastifyRequest) =>
  receiveUpload(req, {
    maxBytes: MAX_ACTION_DOCUMENT_BYTES,
    fields: [],
    tooLarge: errors.collectiveAction.tooLarge,
    noFile: errors.collectiveAction.notADocument,
  });

export function actionsRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, actionsRoutes.list, ({ params, query, ctx }) =>
    listActions(deps, ctx, params.structureId, query),
  );
  mount(app, deps, actionsRoutes.steeringCommittee, ({ params, ctx }) =>
    steeringCommittee(deps, ctx, params.structureId),
  );
  mount(app, deps, actionsRoutes.options, ({ params, ctx }) => actionOptions(deps, ctx, params.structureId));
  mount(app, deps, actionsRoutes.create, ({ params, body, ctx }) =>
    createAction(deps, ctx, params.structureId, body),
  );
  mount(app, deps, actionsRoutes.figures, ({ query, ctx }) => actionFigures(deps, ctx, query));
  mount(app, deps, actionsRoutes.get, ({ params, ctx }) => getAction(deps, ctx, params.actionId));
  mount(app, deps, actionsRoutes.workingGroup, ({ params, ctx }) =>
    getWorkingGroup(deps, ctx, params.actionId),
  );
  mount(app, deps, actionsRoutes.addMember, ({ params, body, ctx }) =>
    addMember(deps, ctx, params.actionId, body),
  );
  mount(app, deps, actionsRoutes.removeMember, ({ params, ctx }) =>
    removeMember(deps, ctx, params.actionId, params.memberId),
  );
  mount(app, deps, actionsRoutes.planNextMeeting, ({ params, body, ctx }) =>
    planNextMeeting(deps, ctx, params.actionId, body),
  );
  mount(app, deps, actionsRoutes.update, async ({ params, body, ctx }) => {
    await updateAction(deps, ctx, params.actionId, body);
    return ok;
  });
  mount(app, deps, actionsRoutes.cancel, async ({ params, ctx }) => {
    await cancelAction(deps, ctx, params.actionId);
    return ok;
  });
  mount(app, deps, actionsRoutes.invite, ({ params, body, ctx }) =>
    invitePartners(deps, ctx, params.actionId, body.invitees),
  );
  mount(app, deps, actionsRoutes.convoke, ({ params, body, ctx }) =>
    convokeToAction(deps, ctx, params.actionId, body),
  );
  mount(app, deps, actionsRoutes.outcomes, async ({ params, body, ctx }) => {
    await recordOutcomes(deps, ctx, params.actionId, body);
    return ok;
  });
  mount(app, deps, actionsRoutes.uploadDocument, async ({ params, req, ctx }) => {
    await assertMayAddDocument(deps, ctx, params.actionId);
    return addActionDocument(deps, ctx, params.actionId, await receiveDocument(req));
  });
  mount(app, deps, actionsRoutes.document, async ({ params, ctx, reply }) => {
    const file = await readActionDocument(deps, ctx, params.actionId, params.documentId);
    asAttachment(reply, file.mediaType, file.fileName);
    return new Uint8Array(file.bytes);
  });
  mount(app, deps, actionsRoutes.partnerActions, ({ ctx }) => partnerActions(deps, ctx));
  mount(app, deps, actionsRoutes.publicInvitation, ({ params, meta }) =>
    readInvitation(deps, meta, params.token),
  );
  mount(app, deps, actionsRoutes.publicAnswer, ({ params, body, meta }) =>
    answerInvitation(deps, meta, params.token, body.answer),
  );
}
