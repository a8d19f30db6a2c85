import type { FastifyInstance } from "fastify";
import { directoryRoutes } from "../../../common/directory/directory.routes";
import type { Deps } from "../../core/deps";
import {
  addDirectoryContact,
  archiveDirectoryContact,
  archiveDirectoryEntry,
  createDirectoryEntry,
  getDirectoryEntry,
  listDirectory,
  updateDirectoryContact,
  updateDirectoryEntry,
} from "../../domains/directory/use-cases/Directory";
import { mount } from "../mount";

export function directoryRouter(app: FastifyInstance, deps: Deps): void {
  mount(app, deps, directoryRoutes.list, ({ params, query, ctx }) =>
    listDirectory(deps, ctx, params.structureId, query),
  );
  mount(app, deps, directoryRoutes.get, ({ params, ctx }) => getDirectoryEntry(deps, ctx, params.entryId));
  mount(app, deps, directoryRoutes.create, ({ params, body, ctx }) =>
    createDirectoryEntry(deps, ctx, params.structureId, body),
  );
  mount(app, deps, directoryRoutes.update, ({ params, body, ctx }) =>
    updateDirectoryEntry(deps, ctx, params.entryId, body),
  );
  mount(app, deps, directoryRoutes.addContact, ({ params, body, ctx }) =>
    addDirectoryContact(deps, ctx, params.entryId, body),
  );
  mount(app, deps, directoryRoutes.updateContact, ({ params, body, ctx }) =>
    updateDirectoryContact(deps, ctx, params.contactId, body),
  );
  mount(app, deps, directoryRoutes.archiveEntry, ({ params, body, ctx }) =>
    archiveDirectoryEntry(deps, ctx, params.entryId, body.archived),
  );
  mount(app, deps, directoryRoutes.archiveContact, ({ params, body, ctx }) =>
    archiveDirectoryContact(deps, ctx, params.contactId, body.archived),
  );
}
