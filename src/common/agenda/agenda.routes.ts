import { defineRoute } from "../contract";
import { structureIdParamsSchema } from "../structures/structures.schema";
import {
  bookBodySchema,
  convocationIdParamsSchema,
  convocationListSchema,
  convocationsQuerySchema,
  convocationViewSchema,
  setStatusBodySchema,
  slotsQuerySchema,
  slotsSchema,
} from "./agenda.schema";

export const agendaRoutes = {
  slots: defineRoute({
    method: "GET",
    path: "/api/structures/:structureId/slots",
    summary: "Les créneaux des permanences (calculés à partir des règles d'ouverture)",
    params: structureIdParamsSchema,
    query: slotsQuerySchema,
    response: slotsSchema,
  }),
  book: defineRoute({
    method: "POST",
    path: "/api/convocations",
    summary: "Convoquer une personne à un créneau (CPIP référent)",
    body: bookBodySchema,
    response: convocationViewSchema,
  }),
  list: defineRoute({
    method: "GET",
    path: "/api/convocations",
    summary: "Les convocations visibles de l'agent (ses personnes, ses lieux de permanence)",
    query: convocationsQuerySchema,
    response: convocationListSchema,
  }),
  setStatus: defineRoute({
    method: "POST",
    path: "/api/convocations/:convocationId/status",
    summary: "Changer le statut d'une convocation (honorée, absence, annulation)",
    params: convocationIdParamsSchema,
    body: setStatusBodySchema,
    response: convocationViewSchema,
  }),
} as const;
