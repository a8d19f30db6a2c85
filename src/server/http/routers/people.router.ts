import type { FastifyInstance } from "fastify";
import { peopleRoutes } from "../../../common/people/people.routes";
import { PEOPLE_PAGE_SIZE } from "../../../common/people/people.schema";
import type { Deps } from "../../core/deps";
import { changeReferent, listReferentCandidates } from "../../domains/people/use-cases/ChangeReferent";
import { closeFile, previewClosing, reopenFile } from "../../domains/people/use-cases/CloseFile";
import { createPerson, findDuplicates } from "../../domains/people/use-cases/CreatePerson";
import { editPerson } from "../../domains/people/use-cases/EditPerson";
import { getPersonFile } from "../../domains/people/use-cases/GetPersonFile";
import { getPersonTimeline } from "../../domains/people/use-cases/GetPersonTimeline";
import { getPeopleFilterOptions, listPeopleForActor } from "../../domains/people/use-cases/ListPeople";
import { mergePeople } from "../../domains/people/use-cases/MergePeople";
import { mount, nominativeRead } from "../mount";

export function peopleRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, peopleRoutes.list, async ({ query, ctx, req }) => ({
    ...(await listPeopleForActor(
      deps,
      ctx,
      { ...query, mine: query.mine === "true" },
      nominativeRead(peopleRoutes.list, req),
    )),
    page: query.page,
    pageSize: PEOPLE_PAGE_SIZE,
  }));
  mount(app, deps, peopleRoutes.filterOptions, ({ ctx }) => getPeopleFilterOptions(deps, ctx));
  mount(app, deps, peopleRoutes.duplicates, ({ query, ctx }) => findDuplicates(deps.db, ctx, query));
  mount(app, deps, peopleRoutes.create, ({ body, ctx }) => createPerson(deps, ctx, body));
  mount(app, deps, peopleRoutes.get, ({ params, ctx }) => getPersonFile(deps, ctx, params.personId));
  mount(app, deps, peopleRoutes.merge, ({ params, body, ctx }) =>
    mergePeople(deps, ctx, params.personId, body.duplicateId),
  );
  mount(app, deps, peopleRoutes.timeline, ({ params, ctx }) => getPersonTimeline(deps, ctx, params.personId));
  mount(app, deps, peopleRoutes.edit, ({ params, body, ctx }) =>
    editPerson(deps, ctx, params.personId, body),
  );
  mount(app, deps, peopleRoutes.referentCandidates, ({ params, ctx }) =>
    listReferentCandidates(deps, ctx, params.personId),
  );
  mount(app, deps, peopleRoutes.changeReferent, ({ params, body, ctx }) =>
    changeReferent(deps, ctx, params.personId, body.userId),
  );
  mount(app, deps, peopleRoutes.closingPreview, ({ params, ctx }) =>
    previewClosing(deps, ctx, params.personId),
  );
  mount(app, deps, peopleRoutes.close, ({ params, body, ctx }) =>
    closeFile(deps, ctx, params.personId, body),
  );
  mount(app, deps, peopleRoutes.reopen, ({ params, body, ctx }) =>
    reopenFile(deps, ctx, params.personId, body),
  );
}
