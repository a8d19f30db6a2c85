import type { FastifyInstance } from "fastify";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import type { Deps } from "../../core/deps";
import {
  cancelHandover,
  completeHandover,
  getHandoverPage,
  handoverSlots,
  rescheduleHandover,
  scheduleHandover,
} from "../../domains/handover/use-cases/Handover";
import { getHandoverMeeting } from "../../domains/handover/use-cases/HandoverMeeting";
import { listReceivedTransfers } from "../../domains/handover/use-cases/ReceivedTransfers";
import { transferFigures } from "../../domains/handover/use-cases/TransferFigures";
import {
  acceptTransfer,
  cancelTransfer,
  listPersonTransfers,
  listTransmissions,
  proposeTransfer,
  refuseTransfer,
  transferInbox,
} from "../../domains/handover/use-cases/Transfers";
import { mount } from "../mount";

export function handoverRouter(app: FastifyInstance, deps: Deps): void {
  const r = handoverRoutes;
  mount(app, deps, r.received, ({ ctx }) => listReceivedTransfers(deps, ctx));
  mount(app, deps, r.page, ({ params, ctx }) => getHandoverPage(deps, ctx, params.personId));
  mount(app, deps, r.schedule, ({ params, body, ctx }) => scheduleHandover(deps, ctx, params.personId, body));
  mount(app, deps, r.meeting, ({ params, ctx }) => getHandoverMeeting(deps, ctx, params.handoverId));
  mount(app, deps, r.reschedule, ({ params, body, ctx }) =>
    rescheduleHandover(deps, ctx, params.handoverId, body),
  );
  mount(app, deps, r.cancel, ({ params, body, ctx }) => cancelHandover(deps, ctx, params.handoverId, body));
  mount(app, deps, r.slots, ({ params, ctx }) => handoverSlots(deps, ctx, params.handoverId));
  mount(app, deps, r.complete, ({ params, body, ctx }) =>
    completeHandover(deps, ctx, params.handoverId, body),
  );
  mount(app, deps, r.personTransfers, ({ params, ctx }) => listPersonTransfers(deps, ctx, params.personId));
  mount(app, deps, r.propose, ({ params, body, ctx }) => proposeTransfer(deps, ctx, params.personId, body));
  mount(app, deps, r.cancelTransfer, ({ params, ctx }) => cancelTransfer(deps, ctx, params.transferId));
  mount(app, deps, r.inbox, ({ ctx }) => transferInbox(deps, ctx));
  mount(app, deps, r.accept, ({ params, body, ctx }) =>
    acceptTransfer(deps, ctx, params.transferId, body.referentUserId),
  );
  mount(app, deps, r.refuse, ({ params, body, ctx }) =>
    refuseTransfer(deps, ctx, params.transferId, body.reason),
  );
  mount(app, deps, r.transmissions, ({ ctx }) => listTransmissions(deps, ctx));
  mount(app, deps, r.figures, ({ query, ctx }) => transferFigures(deps, ctx, query));
}
