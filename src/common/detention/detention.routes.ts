import { z } from "zod";
import { defineRoute, okSchema } from "../contract";
import { personIdParamsSchema } from "../people/people.schema";
import { sectionQuerySchema } from "../reporting/reporting.schema";
import { staffAnd } from "../roles";
import { structureIdParamsSchema } from "../structures/structures.schema";
import {
  accessAuthorisationListSchema,
  authorisationIdParamsSchema,
  detentionSettingsSchema,
  milieuFermeFiguresSchema,
  movementsListSchema,
  movementsQuerySchema,
  newAccessAuthorisationSchema,
  releasePlanSchema,
  sasOccupancySchema,
  siteIdParamsSchema,
  startPlanItemBodySchema,
} from "./detention.schema";

/** Milieu fermé (ADR 0028): movements lists, release plans, access authorisations. */
export const detentionRoutes = {
  movements: defineRoute({
    // Staff only: other roles are refused before the query is read (a bad date is then no 400).
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/sites/:siteId/movements.pdf",
    summary:
      "La liste des mouvements d'un établissement pour un jour (qui est attendu, quand, où) : PDF pour le personnel (CPIP, direction)",
    params: siteIdParamsSchema,
    query: movementsQuerySchema,
    response: z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array),
    produces: "application/pdf",
    nominative: {},
  }),
  movementsList: defineRoute({
    // Staff only: other roles are refused before the query is read (a bad date is then no 400).
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/sites/:siteId/movements",
    summary:
      "La liste des mouvements d'un établissement pour un jour, à l'écran (les lignes du PDF) : CPIP, direction",
    params: siteIdParamsSchema,
    query: movementsQuerySchema,
    response: movementsListSchema,
    nominative: {},
  }),
  releasePlan: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/people/:personId/release-plan",
    summary: "Le plan « préparer la sortie » d'une personne détenue (à partir du délai avant la libération)",
    params: personIdParamsSchema,
    response: releasePlanSchema,
    nominative: {},
  }),
  startPlanItem: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/people/:personId/release-plan/items",
    summary: "Créer la démarche d'une ligne du plan de sortie, avec une échéance avant la libération",
    params: personIdParamsSchema,
    body: startPlanItemBodySchema,
    response: releasePlanSchema,
    nominative: {},
  }),
  authorisations: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/access-authorisations",
    summary: "Les autorisations d'accès des agents aux établissements pénitentiaires et SAS (direction)",
    params: structureIdParamsSchema,
    response: accessAuthorisationListSchema,
  }),
  addAuthorisation: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/structures/:structureId/access-authorisations",
    summary: "Enregistrer ou renouveler l'autorisation d'accès d'un agent à un établissement (direction)",
    params: structureIdParamsSchema,
    body: newAccessAuthorisationSchema,
    response: okSchema,
  }),
  revokeAuthorisation: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/structures/:structureId/access-authorisations/:authorisationId/revoke",
    summary: "Retirer l'autorisation d'accès d'un agent (direction)",
    params: authorisationIdParamsSchema,
    response: okSchema,
  }),
  sasOccupancy: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/sas-occupancy",
    summary:
      "Les places occupées de chaque SAS de la structure aujourd'hui, sur sa capacité (CPIP, direction ; des nombres, aucun nom)",
    params: structureIdParamsSchema,
    response: sasOccupancySchema,
  }),
  settings: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/detention-settings",
    summary: "Le délai d'apparition du plan « préparer la sortie » avant la libération (direction)",
    params: structureIdParamsSchema,
    response: detentionSettingsSchema,
  }),
  saveSettings: defineRoute({
    onlyRoles: staffAnd(),
    method: "PUT",
    path: "/api/structures/:structureId/detention-settings",
    summary: "Régler le délai du plan « préparer la sortie » (30 à 365 jours avant la libération, direction)",
    params: structureIdParamsSchema,
    body: detentionSettingsSchema,
    response: detentionSettingsSchema,
  }),
  figures: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/milieu-ferme",
    summary:
      "Les chiffres du milieu fermé : rencontres et démarches avant la sortie, droits ouverts au jour de la sortie, délai jusqu'à la première visite (protégés pour le pilotage)",
    query: sectionQuerySchema("milieuFerme"),
    response: milieuFermeFiguresSchema,
  }),
} as const;
