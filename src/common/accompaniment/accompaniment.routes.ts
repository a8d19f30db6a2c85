import { convocationIdParamsSchema, convocationViewSchema } from "../agenda/agenda.schema";
import { defineRoute } from "../contract";
import { personIdParamsSchema } from "../people/people.schema";
import { staffAnd } from "../roles";
import {
  accompanimentSchema,
  addDemarcheBodySchema,
  demarcheChangeSchema,
  demarcheIdParamsSchema,
  demarcheViewSchema,
  recordVisitBodySchema,
} from "./accompaniment.schema";

export const accompanimentRoutes = {
  get: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/people/:personId/accompaniment",
    summary: "Besoins, démarches et visites d'une personne (consultation journalisée)",
    params: personIdParamsSchema,
    response: accompanimentSchema,
    nominative: {},
  }),
  recordVisit: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/convocations/:convocationId/visit",
    summary: "Saisir la visite d'une convocation honorée : durée, autonomie, démarches, besoins, suite",
    params: convocationIdParamsSchema,
    body: recordVisitBodySchema,
    response: convocationViewSchema,
    nominative: { peopleIn: (answer) => [answer.personId] },
  }),
  addDemarche: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/people/:personId/demarches",
    summary: "Commencer une démarche entre deux visites (conseiller, direction)",
    params: personIdParamsSchema,
    body: addDemarcheBodySchema,
    response: demarcheViewSchema,
    nominative: {},
  }),
  updateDemarche: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/demarches/:demarcheId",
    summary: "Mettre à jour une démarche (statut, résultat, prochaine étape, pièces)",
    params: demarcheIdParamsSchema,
    body: demarcheChangeSchema,
    response: demarcheViewSchema,
    nominative: {},
  }),
} as const;
