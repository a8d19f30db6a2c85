import { defineRoute } from "../contract";
import { staffAnd } from "../roles";
import { homeNewsSchema, markSeenBodySchema, markSeenSchema, permanenceSchema } from "./home.schema";

export const homeRoutes = {
  news: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/home/news",
    summary:
      "Accueil du CPIP : ce qui a changé pour ses personnes depuis sa dernière visite, et les personnes à reconvoquer ; du conseiller : les réponses aux orientations qu'il a envoyées",
    response: homeNewsSchema,
    nominative: { peopleIn: (answer) => answer.people.map((p) => p.personId) },
  }),
  markSeen: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/home/seen",
    summary:
      "Marquer comme vues les nouvelles de l'accueil (jusqu'à l'instant affiché), ou annuler ce marquage (undo)",
    body: markSeenBodySchema,
    response: markSeenSchema,
  }),
  permanence: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/home/permanence",
    summary: "Accueil du conseiller : les convocations du jour sur ses lieux de permanence, dans l'ordre",
    response: permanenceSchema,
    nominative: { peopleIn: (answer) => answer.convocations.map((c) => c.personId) },
  }),
} as const;
