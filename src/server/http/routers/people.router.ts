import type { FastifyInstance } from "fastify";
import { peopleRoutes } from "../../../common/people/people.routes";
import { PEOPLE_PAGE_SIZE } from "../../../common/people/people.schema";
import type { Deps } from "../../core/deps";
import { createPerson, findDuplicates } from "../../domains/people/use-cases/CreatePerson";
import { getPersonFile } from "../../domains/people/use-cases/GetPersonFile";
import { getPersonTimeline } from "../../domains/people/use-cases/GetPersonTimeline";
import { getPeopleFilterOptions, listPeopleForActor } from "../../domains/people/use-cases/ListPeople";
import { mergePeople } from "../../domains/people/use-cases/MergePeople";
import { mount } from "../mount";

export function peopleRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, peopleRoutes.list, async ({ query, ctx }) => ({
    ...(await listPeopleForActor(deps, ctx, { ...query, mine: query.mine === "true" })),
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
}
