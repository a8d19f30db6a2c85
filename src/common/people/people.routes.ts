import { defineRoute } from "../contract";
import { peopleListSchema, peopleQuerySchema, personFileSchema, personIdParamsSchema } from "./people.schema";

export const peopleRoutes = {
  list: defineRoute({
    method: "GET",
    path: "/api/people",
    summary: "Les personnes accessibles à l'agent (liste, sans données judiciaires)",
    query: peopleQuerySchema,
    response: peopleListSchema,
  }),
  get: defineRoute({
    method: "GET",
    path: "/api/people/:personId",
    summary: "Le dossier d'une personne (consultation journalisée)",
    params: personIdParamsSchema,
    response: personFileSchema,
  }),
} as const;
