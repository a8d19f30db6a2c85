import { defineRoute } from "../contract";
import { personIdParamsSchema } from "../people/people.schema";
import { staffAnd } from "../roles";
import {
  consentIdParamsSchema,
  consentsSchema,
  newConsentBodySchema,
  noteBodySchema,
  notesSchema,
  noteViewSchema,
} from "./consent.schema";

export const consentRoutes = {
  list: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/people/:personId/consents",
    summary: "Le consentement de la personne au partage d'informations, et son historique",
    params: personIdParamsSchema,
    response: consentsSchema,
    nominative: {},
  }),
  record: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/people/:personId/consents",
    summary: "Enregistrer le consentement de la personne (remplace le précédent)",
    params: personIdParamsSchema,
    body: newConsentBodySchema,
    response: consentsSchema,
    nominative: {},
  }),
  revoke: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/consents/:consentId/revoke",
    summary: "Retirer un consentement : plus rien n'est partagé",
    params: consentIdParamsSchema,
    response: consentsSchema,
    nominative: {},
  }),
  notes: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/people/:personId/notes",
    summary: "Les notes que l'agent peut lire : celles de son service, et celles partagées avec consentement",
    params: personIdParamsSchema,
    response: notesSchema,
    nominative: {},
  }),
  addNote: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/people/:personId/notes",
    summary: "Écrire une note (visible de son service, ou partagée sous consentement)",
    params: personIdParamsSchema,
    body: noteBodySchema,
    response: noteViewSchema,
    nominative: {},
  }),
} as const;
