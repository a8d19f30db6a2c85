import { z } from "zod";
import { defineRoute } from "../contract";
import { staffAnd } from "../roles";
import { structureIdParamsSchema } from "../structures/structures.schema";
import {
  conventionAlertsSchema,
  conventionBodySchema,
  conventionDetailSchema,
  conventionFormOptionsSchema,
  conventionIdParamsSchema,
  conventionListQuerySchema,
  conventionListSchema,
  conventionSettingsSchema,
  endBodySchema,
  newConventionBodySchema,
  renewBodySchema,
  uploadResultSchema,
} from "./conventions.schema";

const file = z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array);

export const conventionsRoutes = {
  list: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/conventions",
    summary: "Le registre des conventions de la structure, filtré par statut, niveau, thématique",
    params: structureIdParamsSchema,
    query: conventionListQuerySchema,
    response: conventionListSchema,
  }),
  formOptions: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/conventions/form-options",
    summary: "Les agents (référent interne) et les organisations de l'annuaire (parties) du formulaire",
    params: structureIdParamsSchema,
    response: conventionFormOptionsSchema,
  }),
  alerts: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/conventions/alerts",
    summary: "Les conventions à renouveler ou expirées (accueil de la direction)",
    params: structureIdParamsSchema,
    response: conventionAlertsSchema,
  }),
  saveSettings: defineRoute({
    onlyRoles: staffAnd(),
    method: "PUT",
    path: "/api/structures/:structureId/conventions/settings",
    summary: "Le délai d'alerte avant la fin des conventions (15 à 365 jours)",
    params: structureIdParamsSchema,
    body: conventionSettingsSchema,
    response: conventionSettingsSchema,
  }),
  get: defineRoute({
    method: "GET",
    path: "/api/conventions/:conventionId",
    summary: "Une convention du registre",
    params: conventionIdParamsSchema,
    response: conventionDetailSchema,
  }),
  create: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/structures/:structureId/conventions",
    summary: "Enregistrer une convention (direction)",
    params: structureIdParamsSchema,
    body: newConventionBodySchema,
    response: conventionDetailSchema,
  }),
  update: defineRoute({
    method: "PUT",
    path: "/api/conventions/:conventionId",
    summary: "Modifier une convention (direction)",
    params: conventionIdParamsSchema,
    body: conventionBodySchema,
    response: conventionDetailSchema,
  }),
  renew: defineRoute({
    method: "POST",
    path: "/api/conventions/:conventionId/renew",
    summary: "Renouveler une convention signée : nouvelle date de fin (direction)",
    params: conventionIdParamsSchema,
    body: renewBodySchema,
    response: conventionDetailSchema,
  }),
  end: defineRoute({
    method: "POST",
    path: "/api/conventions/:conventionId/end",
    summary: "Mettre fin à une convention (direction, irréversible)",
    params: conventionIdParamsSchema,
    body: endBodySchema,
    response: conventionDetailSchema,
  }),
  uploadSignedFile: defineRoute({
    method: "POST",
    path: "/api/conventions/:conventionId/signed-file",
    summary: "Joindre la convention signée (PDF, 10 Mo au plus, chiffré au repos ; direction)",
    params: conventionIdParamsSchema,
    response: uploadResultSchema,
  }),
  signedFile: defineRoute({
    method: "GET",
    path: "/api/conventions/:conventionId/signed-file",
    summary: "Télécharger la convention signée (direction, journalisé)",
    params: conventionIdParamsSchema,
    response: file,
    produces: "application/pdf",
  }),
};
