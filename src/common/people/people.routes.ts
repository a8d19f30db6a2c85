import { defineRoute } from "../contract";
import {
  createdPersonSchema,
  duplicatesQuerySchema,
  duplicatesSchema,
  mergeBodySchema,
  newPersonBodySchema,
  peopleFilterOptionsSchema,
  peopleListSchema,
  peopleQuerySchema,
  personFileSchema,
  personIdParamsSchema,
  timelineSchema,
} from "./people.schema";

export const peopleRoutes = {
  list: defineRoute({
    method: "GET",
    path: "/api/people",
    summary:
      "Les personnes accessibles à l'agent : recherche (noms, téléphone, date de naissance), filtres, tri, pages de 50 (sans données judiciaires)",
    query: peopleQuerySchema,
    response: peopleListSchema,
    nominative: { peopleIn: (answer) => answer.people.map((p) => p.id) },
  }),
  filterOptions: defineRoute({
    method: "GET",
    path: "/api/people/filter-options",
    summary: "Les choix des filtres de la liste des personnes : référents et lieux de la structure",
    response: peopleFilterOptionsSchema,
  }),
  get: defineRoute({
    method: "GET",
    path: "/api/people/:personId",
    summary: "Le dossier d'une personne (consultation journalisée)",
    params: personIdParamsSchema,
    response: personFileSchema,
    nominative: { peopleIn: (answer) => [answer.id] },
  }),
  timeline: defineRoute({
    method: "GET",
    path: "/api/people/:personId/timeline",
    summary: "L'historique d'une personne : convocations, statuts, messages (consultation journalisée)",
    params: personIdParamsSchema,
    response: timelineSchema,
    nominative: {},
  }),
  merge: defineRoute({
    method: "POST",
    path: "/api/people/:personId/merge",
    summary: "Fusionner un doublon dans ce dossier (direction) : tout est déplacé, le doublon disparaît",
    params: personIdParamsSchema,
    body: mergeBodySchema,
    response: createdPersonSchema,
    nominative: { peopleIn: (answer) => [answer.id] },
  }),
  duplicates: defineRoute({
    method: "GET",
    path: "/api/people/duplicates",
    summary: "Doublons possibles avant création (même nom et date de naissance, même téléphone)",
    query: duplicatesQuerySchema,
    response: duplicatesSchema,
    nominative: { peopleIn: (answer) => answer.visible.map((p) => p.id) },
  }),
  create: defineRoute({
    method: "POST",
    path: "/api/people",
    summary: "Créer une personne suivie (le CPIP qui la crée en devient référent)",
    body: newPersonBodySchema,
    response: createdPersonSchema,
    nominative: { peopleIn: (answer) => [answer.id] },
  }),
} as const;
