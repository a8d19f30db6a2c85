import { defineRoute } from "../contract";
import { personIdParamsSchema } from "../people/people.schema";
import {
  answerSchema,
  completeSchema,
  inboxItemSchema,
  inboxSchema,
  newOrientationSchema,
  orientationIdParamsSchema,
  orientationListSchema,
  orientationViewSchema,
} from "./orientations.schema";

export const orientationsRoutes = {
  ofPerson: defineRoute({
    method: "GET",
    path: "/api/people/:personId/orientations",
    summary: "Les orientations et sollicitations d'une personne",
    params: personIdParamsSchema,
    response: orientationListSchema,
    nominative: {},
  }),
  create: defineRoute({
    method: "POST",
    path: "/api/people/:personId/orientations",
    summary: "Orienter la personne (médiation, back-office d'un partenaire, IAE…), et l'envoyer",
    params: personIdParamsSchema,
    body: newOrientationSchema,
    response: orientationViewSchema,
    nominative: {},
  }),
  send: defineRoute({
    method: "POST",
    path: "/api/orientations/:orientationId/send",
    summary: "Envoyer une orientation en brouillon",
    params: orientationIdParamsSchema,
    response: orientationViewSchema,
    nominative: {},
  }),
  cancel: defineRoute({
    method: "POST",
    path: "/api/orientations/:orientationId/cancel",
    summary: "Annuler une orientation sans réponse",
    params: orientationIdParamsSchema,
    response: orientationViewSchema,
    nominative: {},
  }),
  inbox: defineRoute({
    method: "GET",
    path: "/api/orientations/inbox",
    summary: "Les orientations adressées à l'organisation du référent partenaire",
    response: inboxSchema,
    nominative: {},
  }),
  answer: defineRoute({
    method: "POST",
    path: "/api/orientations/:orientationId/answer",
    summary: "Accepter ou refuser une orientation (référent partenaire)",
    params: orientationIdParamsSchema,
    body: answerSchema,
    response: inboxItemSchema,
    nominative: {},
  }),
  complete: defineRoute({
    method: "POST",
    path: "/api/orientations/:orientationId/complete",
    summary: "Indiquer le résultat d'une orientation acceptée (référent partenaire)",
    params: orientationIdParamsSchema,
    body: completeSchema,
    response: inboxItemSchema,
    nominative: {},
  }),
} as const;
