import { defineRoute } from "../contract";
import { staffAnd } from "../roles";
import { structureIdParamsSchema } from "../structures/structures.schema";
import {
  archiveBodySchema,
  directoryContactBodySchema,
  directoryContactIdParamsSchema,
  directoryContactSchema,
  directoryEntryBodySchema,
  directoryEntryIdParamsSchema,
  directoryEntrySchema,
  directoryListQuerySchema,
  directoryListSchema,
  newDirectoryContactBodySchema,
  newDirectoryEntryBodySchema,
} from "./directory.schema";

export const directoryRoutes = {
  list: defineRoute({
    onlyRoles: staffAnd("partner_referent"),
    method: "GET",
    path: "/api/structures/:structureId/directory",
    summary:
      "L'annuaire des partenaires de la structure : recherche par nom, type, service, territoire (sans accents)",
    params: structureIdParamsSchema,
    query: directoryListQuerySchema,
    response: directoryListSchema,
  }),
  get: defineRoute({
    method: "GET",
    path: "/api/directory/:entryId",
    summary: "Une organisation de l'annuaire et ses contacts",
    params: directoryEntryIdParamsSchema,
    response: directoryEntrySchema,
  }),
  create: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/structures/:structureId/directory",
    summary: "Ajouter une organisation à l'annuaire (direction)",
    params: structureIdParamsSchema,
    body: newDirectoryEntryBodySchema,
    response: directoryEntrySchema,
  }),
  update: defineRoute({
    method: "PUT",
    path: "/api/directory/:entryId",
    summary: "Modifier une organisation de l'annuaire (direction)",
    params: directoryEntryIdParamsSchema,
    body: directoryEntryBodySchema,
    response: directoryEntrySchema,
  }),
  addContact: defineRoute({
    method: "POST",
    path: "/api/directory/:entryId/contacts",
    summary: "Ajouter un contact nommé à une organisation de l'annuaire (direction)",
    params: directoryEntryIdParamsSchema,
    body: newDirectoryContactBodySchema,
    response: directoryContactSchema,
  }),
  updateContact: defineRoute({
    method: "PUT",
    path: "/api/directory/contacts/:contactId",
    summary: "Modifier un contact de l'annuaire (direction)",
    params: directoryContactIdParamsSchema,
    body: directoryContactBodySchema,
    response: directoryContactSchema,
  }),
  archiveEntry: defineRoute({
    method: "PUT",
    path: "/api/directory/:entryId/archive",
    summary:
      "Archiver ou restaurer une organisation (direction) : archivée, elle sort des recherches, des choix et des envois",
    params: directoryEntryIdParamsSchema,
    body: archiveBodySchema,
    response: directoryEntrySchema,
  }),
  archiveContact: defineRoute({
    method: "PUT",
    path: "/api/directory/contacts/:contactId/archive",
    summary:
      "Archiver ou restaurer un contact (direction) : archivé, il n'est plus proposé ni invité et ne reçoit plus la lettre",
    params: directoryContactIdParamsSchema,
    body: archiveBodySchema,
    response: directoryEntrySchema,
  }),
};
