import { z } from "zod";
import { defineRoute } from "../contract";
import { personIdParamsSchema } from "../people/people.schema";
import { dashboardFiltersSchema } from "../reporting/reporting.schema";
import { sectionFiguresSchema } from "../reporting/sections.schema";
import {
  acceptTransferBodySchema,
  completeHandoverBodySchema,
  handoverIdParamsSchema,
  handoverPageSchema,
  handoverSlotsSchema,
  personTransfersSchema,
  proposeTransferBodySchema,
  receivedTransfersSchema,
  refuseTransferBodySchema,
  rescheduleHandoverBodySchema,
  scheduleHandoverBodySchema,
  transferAnswerSchema,
  transferIdParamsSchema,
  transferInboxSchema,
  transmissionsSchema,
} from "./handover.schema";

const ok = z.object({ ok: z.literal(true) });

export const handoverRoutes = {
  page: defineRoute({
    method: "GET",
    path: "/api/people/:personId/handover",
    summary: "Passage de relais (milieu fermé → milieu ouvert) : réunions, ordre du jour, compte rendu",
    params: personIdParamsSchema,
    response: handoverPageSchema,
    nominative: {},
  }),
  schedule: defineRoute({
    method: "POST",
    path: "/api/people/:personId/handover",
    summary: "Programmer la réunion de passage de relais et inviter les participants",
    params: personIdParamsSchema,
    body: scheduleHandoverBodySchema,
    response: handoverPageSchema,
    nominative: {},
  }),
  reschedule: defineRoute({
    method: "POST",
    path: "/api/handovers/:handoverId/reschedule",
    summary: "Déplacer la réunion (les participants reçoivent la mise à jour de l'invitation)",
    params: handoverIdParamsSchema,
    body: rescheduleHandoverBodySchema,
    response: ok,
  }),
  cancel: defineRoute({
    method: "POST",
    path: "/api/handovers/:handoverId/cancel",
    summary: "Annuler la réunion (les participants reçoivent l'annulation)",
    params: handoverIdParamsSchema,
    response: ok,
  }),
  slots: defineRoute({
    method: "GET",
    path: "/api/handovers/:handoverId/slots",
    summary: "Créneaux libres de la structure d'accueil dans les jours suivant la sortie, et ses CPIP",
    params: handoverIdParamsSchema,
    response: handoverSlotsSchema,
  }),
  complete: defineRoute({
    method: "POST",
    path: "/api/handovers/:handoverId/complete",
    summary: "Clore la réunion : compte rendu, consentement, référent milieu ouvert, première convocation",
    params: handoverIdParamsSchema,
    body: completeHandoverBodySchema,
    response: transferAnswerSchema,
    nominative: {},
  }),
  personTransfers: defineRoute({
    method: "GET",
    path: "/api/people/:personId/transfers",
    summary: "Transferts du dossier vers une autre structure",
    params: personIdParamsSchema,
    response: personTransfersSchema,
    nominative: {},
  }),
  propose: defineRoute({
    method: "POST",
    path: "/api/people/:personId/transfers",
    summary: "Proposer le transfert du dossier à une autre structure",
    params: personIdParamsSchema,
    body: proposeTransferBodySchema,
    response: personTransfersSchema,
    nominative: {},
  }),
  cancelTransfer: defineRoute({
    method: "POST",
    path: "/api/transfers/:transferId/cancel",
    summary: "Retirer une proposition de transfert pas encore acceptée",
    params: transferIdParamsSchema,
    response: ok,
  }),
  inbox: defineRoute({
    method: "GET",
    path: "/api/transfers/inbox",
    summary: "Transferts reçus : propositions en attente pour les structures de la direction",
    response: transferInboxSchema,
    nominative: { peopleIn: (r) => r.items.map((i) => i.personId) },
  }),
  received: defineRoute({
    method: "GET",
    path: "/api/transfers/received",
    summary:
      "Dossiers reçus : transferts acceptés et passages de relais tenus vers la structure (le CPIP devenu référent voit les siens, la direction tous)",
    response: receivedTransfersSchema,
    nominative: { peopleIn: (r) => r.items.map((i) => i.personId) },
  }),
  accept: defineRoute({
    method: "POST",
    path: "/api/transfers/:transferId/accept",
    summary: "Accepter un transfert en choisissant le CPIP référent",
    params: transferIdParamsSchema,
    body: acceptTransferBodySchema,
    response: transferAnswerSchema,
    nominative: {},
  }),
  refuse: defineRoute({
    method: "POST",
    path: "/api/transfers/:transferId/refuse",
    summary: "Refuser un transfert, avec son motif",
    params: transferIdParamsSchema,
    body: refuseTransferBodySchema,
    response: ok,
  }),
  transmissions: defineRoute({
    method: "GET",
    path: "/api/transmissions",
    summary: "Dossiers transmis : historique en lecture seule des passages de relais et transferts",
    response: transmissionsSchema,
    nominative: { peopleIn: (r) => r.items.map((i) => i.personId) },
  }),
  figures: defineRoute({
    method: "GET",
    path: "/api/transfers/figures",
    summary:
      "Nombre de transferts (proposés, acceptés, refusés, entrants et sortants) et de passages de relais des structures choisies (protégés pour le pilotage)",
    query: dashboardFiltersSchema,
    response: sectionFiguresSchema,
  }),
} as const;
