import { defineRoute, okSchema } from "../contract";
import { sectionQuerySchema } from "../reporting/reporting.schema";
import { sectionFiguresSchema } from "../reporting/sections.schema";
import { staffAnd } from "../roles";
import { structureIdParamsSchema } from "../structures/structures.schema";
import {
  fundingBodySchema,
  fundingDetailSchema,
  fundingFormOptionsSchema,
  fundingIdParamsSchema,
  fundingListQuerySchema,
  fundingListSchema,
  newFundingBodySchema,
} from "./fundings.schema";

/** Fundings received (ADR 0039): the direction of the structure reads and records them. */
export const fundingsRoutes = {
  list: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/fundings",
    summary: "Les financements reçus par la structure, par année (direction)",
    params: structureIdParamsSchema,
    query: fundingListQuerySchema,
    response: fundingListSchema,
  }),
  formOptions: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/fundings/form-options",
    summary: "Les financeurs (annuaire), conventions et actions collectives du formulaire",
    params: structureIdParamsSchema,
    response: fundingFormOptionsSchema,
  }),
  create: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/structures/:structureId/fundings",
    summary: "Enregistrer un financement : financeur, montant, objet, année (direction)",
    params: structureIdParamsSchema,
    body: newFundingBodySchema,
    response: fundingDetailSchema,
  }),
  update: defineRoute({
    method: "PUT",
    path: "/api/fundings/:fundingId",
    summary: "Modifier un financement (direction)",
    params: fundingIdParamsSchema,
    body: fundingBodySchema,
    response: fundingDetailSchema,
  }),
  figures: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/fundings",
    summary:
      "Financements de l'année des structures choisies (direction et pilotage ; montants exacts, ce ne sont pas des données personnelles)",
    query: sectionQuerySchema("fundings"),
    response: sectionFiguresSchema,
  }),
  remove: defineRoute({
    method: "DELETE",
    path: "/api/fundings/:fundingId",
    summary: "Supprimer un financement saisi par erreur (direction)",
    params: fundingIdParamsSchema,
    response: okSchema,
  }),
};
