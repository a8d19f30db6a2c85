import { defineRoute } from "../contract";
import {
  createdPersonSchema,
  duplicatesQuerySchema,
  duplicatesSchema,
  mergeBodySchema,
  newPersonBodySchema,
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
  timeline: defineRoute({
    method: "GET",
    path: "/api/people/:personId/timeline",
    summary: "L'historique d'une personne : convocations, statuts, messages (consultation journalisée)",
    params: personIdParamsSchema,
    response: timelineSchema,
  }),
  merge: defineRoute({
    method: "POST",
    path: "/api/people/:personId/merge",
    summary: "Fusionner un doublon dans ce dossier (direction) : tout est déplacé, le doublon disparaît",
    params: personIdParamsSchema,
    body: mergeBodySchema,
    response: createdPersonSchema,
  }),
  duplicates: defineRoute({
    method: "GET",
    path: "/api/people/duplicates",
    summary: "Doublons possibles avant création (même nom et date de naissance, même téléphone)",
    query: duplicatesQuerySchema,
    response: duplicatesSchema,
  }),
  create: defineRoute({
    method: "POST",
    path: "/api/people",
    summary: "Créer une personne suivie (le CPIP qui la crée en devient référent)",
    body: newPersonBodySchema,
    response: createdPersonSchema,
  }),
} as const;
