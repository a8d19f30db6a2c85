import { defineRoute, okSchema } from "../contract";
import {
  catalogueSchema,
  createdUserSchema,
  createUserBodySchema,
  structureIdParamsSchema,
  structureOverviewSchema,
  structureStatsSchema,
  structureUserParamsSchema,
  structureUsersSchema,
} from "./structures.schema";

export const structuresRoutes = {
  overview: defineRoute({
    method: "GET",
    path: "/api/structures/:structureId",
    summary: "La structure : porteurs, services et lieux",
    params: structureIdParamsSchema,
    response: structureOverviewSchema,
  }),
  stats: defineRoute({
    method: "GET",
    path: "/api/structures/:structureId/stats",
    summary: "Chiffres agrégés de la structure (petits effectifs masqués)",
    params: structureIdParamsSchema,
    response: structureStatsSchema,
  }),
  users: defineRoute({
    method: "GET",
    path: "/api/structures/:structureId/users",
    summary: "Les agents de la structure",
    params: structureIdParamsSchema,
    response: structureUsersSchema,
  }),
  createUser: defineRoute({
    method: "POST",
    path: "/api/structures/:structureId/users",
    summary: "Créer un agent dans la structure (ou lui ajouter des rôles s'il existe)",
    params: structureIdParamsSchema,
    body: createUserBodySchema,
    response: createdUserSchema,
  }),
  disableUser: defineRoute({
    method: "POST",
    path: "/api/structures/:structureId/users/:userId/disable",
    summary: "Désactiver un agent (ses sessions sont fermées)",
    params: structureUserParamsSchema,
    response: okSchema,
  }),
  enableUser: defineRoute({
    method: "POST",
    path: "/api/structures/:structureId/users/:userId/enable",
    summary: "Réactiver un agent",
    params: structureUserParamsSchema,
    response: okSchema,
  }),
  catalogue: defineRoute({
    method: "GET",
    path: "/api/catalogue",
    summary: "Le catalogue des partenaires et des démarches",
    response: catalogueSchema,
  }),
} as const;
