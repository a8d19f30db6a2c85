import { z } from "zod";
import { defineRoute, okSchema, uuid } from "../contract";
import { sectionQuerySchema } from "../reporting/reporting.schema";
import { sectionFiguresSchema } from "../reporting/sections.schema";
import { staffAnd } from "../roles";
import { structureIdParamsSchema } from "../structures/structures.schema";
import {
  actionBodySchema,
  actionDetailSchema,
  actionIdParamsSchema,
  actionListSchema,
  actionOptionsSchema,
  actionsQuerySchema,
  answerBodySchema,
  convokeBodySchema,
  invitationTokenParamsSchema,
  inviteBodySchema,
  inviteResultSchema,
  newActionBodySchema,
  newActionBodySchemaOn,
  outcomesBodySchema,
  partnerActionsSchema,
  publicInvitationSchema,
} from "./actions.schema";
import {
  memberBodySchema,
  memberParamsSchema,
  nextMeetingBodySchema,
  steeringCommitteeSchema,
  workingGroupSchema,
} from "./workingGroup.schema";

export const MAX_ACTION_DOCUMENT_BYTES = 10 * 1024 * 1024;

const convokedPeople = (answer: z.infer<typeof actionDetailSchema>): string[] =>
  answer.convocations.map((c) => c.personId);

/** Collective actions (ADR 0031): organised by the direction and counselors, people convoked by their CPIP. */
export const actionsRoutes = {
  list: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/collective-actions",
    summary: "Les actions collectives de la structure (à venir ou passées, par type)",
    params: structureIdParamsSchema,
    query: actionsQuerySchema,
    response: actionListSchema,
  }),
  steeringCommittee: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/structures/:structureId/steering-committee",
    summary:
      "Les réunions du comité de pilotage de la structure : à venir, et comptes rendus et décisions des dernières (pilotage, direction, agents)",
    params: structureIdParamsSchema,
    response: steeringCommitteeSchema,
  }),
  options: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/collective-actions/options",
    summary: "Lieux, agents organisateurs et contacts de l'annuaire proposés dans les formulaires",
    params: structureIdParamsSchema,
    response: actionOptionsSchema,
  }),
  create: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/structures/:structureId/collective-actions",
    summary: "Organiser une action collective (direction, conseillers)",
    params: structureIdParamsSchema,
    body: newActionBodySchema,
    bodyOn: newActionBodySchemaOn,
    // « Prévue » today, sent again after midnight: the action created is answered (ADR 0031).
    dayRulesYieldToRetry: true,
    response: z.object({ id: z.string() }),
  }),
  figures: defineRoute({
    onlyRoles: staffAnd("steering"),
    method: "GET",
    path: "/api/reporting/collective-actions",
    summary:
      "Chiffres des actions collectives des structures choisies sur les mois du tableau de bord (exacts pour la direction, protégés pour le pilotage)",
    query: sectionQuerySchema("actions"),
    response: sectionFiguresSchema,
  }),
  get: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/collective-actions/:actionId",
    summary: "Une action collective : invitations et réponses, personnes convoquées (selon le rôle), bilan",
    params: actionIdParamsSchema,
    response: actionDetailSchema,
    nominative: { peopleIn: convokedPeople },
  }),
  update: defineRoute({
    onlyRoles: staffAnd(),
    method: "PUT",
    path: "/api/collective-actions/:actionId",
    summary:
      "Modifier une action collective (un changement de date ou de lieu envoie une mise à jour aux invités)",
    params: actionIdParamsSchema,
    body: actionBodySchema,
    response: okSchema,
  }),
  cancel: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/collective-actions/:actionId/cancel",
    summary: "Annuler une action collective (annulation envoyée aux invités, convocations annulées)",
    params: actionIdParamsSchema,
    response: okSchema,
  }),
  invite: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/collective-actions/:actionId/invitations",
    summary: "Inviter des partenaires (courriel avec invitation ICS et lien de réponse, sans compte)",
    params: actionIdParamsSchema,
    body: inviteBodySchema,
    response: inviteResultSchema,
  }),
  convoke: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/collective-actions/:actionId/convocations",
    summary: "Convoquer une personne suivie à l'action (CPIP référent ; 409 si l'action est complète)",
    params: actionIdParamsSchema,
    body: convokeBodySchema,
    response: z.object({ convocationId: z.string(), personId: z.string() }),
    nominative: { peopleIn: (answer) => [answer.personId] },
  }),
  outcomes: defineRoute({
    onlyRoles: staffAnd(),
    method: "PUT",
    path: "/api/collective-actions/:actionId/outcomes",
    summary: "Enregistrer le bilan : partenaires présents, résultats, compte rendu et décisions",
    params: actionIdParamsSchema,
    body: outcomesBodySchema,
    response: okSchema,
  }),
  uploadDocument: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/collective-actions/:actionId/documents",
    summary: "Joindre un document à l'action (PDF ou image, multipart, champ « file », 10 Mo au plus)",
    params: actionIdParamsSchema,
    response: z.object({ id: z.string() }),
  }),
  document: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/collective-actions/:actionId/documents/:documentId",
    summary: "Télécharger un document de l'action (journalisé)",
    params: z.object({ actionId: uuid, documentId: uuid }),
    response: z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array),
    produces: "application/octet-stream",
  }),
  workingGroup: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/collective-actions/:actionId/working-group",
    summary:
      "Le groupe de travail d'une réunion : ses membres et les réunions de la série (comptes rendus, décisions)",
    params: actionIdParamsSchema,
    response: workingGroupSchema,
  }),
  addMember: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/collective-actions/:actionId/members",
    summary:
      "Ajouter un membre au groupe de travail (agent ou contact de l'annuaire), invité aux réunions à venir",
    params: actionIdParamsSchema,
    body: memberBodySchema,
    response: workingGroupSchema,
  }),
  removeMember: defineRoute({
    onlyRoles: staffAnd(),
    method: "DELETE",
    path: "/api/collective-actions/:actionId/members/:memberId",
    summary: "Retirer un membre du groupe de travail (les invitations déjà envoyées restent)",
    params: memberParamsSchema,
    response: workingGroupSchema,
  }),
  planNextMeeting: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/collective-actions/:actionId/next-meeting",
    summary:
      "Planifier la prochaine réunion du groupe de travail (même thème, mêmes membres invités par courriel avec ICS)",
    params: actionIdParamsSchema,
    body: nextMeetingBodySchema,
    response: z.object({ id: z.string(), invited: z.number().int() }),
  }),
  partnerActions: defineRoute({
    onlyRoles: staffAnd("partner_referent"),
    method: "GET",
    path: "/api/partner/collective-actions",
    summary: "Les actions collectives auxquelles les contacts de l'organisation du partenaire sont invités",
    response: partnerActionsSchema,
  }),
  publicInvitation: defineRoute({
    method: "GET",
    path: "/api/public/invitations/:token",
    summary: "L'invitation d'un partenaire (lien reçu par courriel, sans compte)",
    access: "public",
    params: invitationTokenParamsSchema,
    response: publicInvitationSchema,
  }),
  publicAnswer: defineRoute({
    method: "POST",
    path: "/api/public/invitations/:token",
    summary: "Répondre à une invitation : je participe / je ne participe pas (modifiable jusqu'au début)",
    access: "public",
    params: invitationTokenParamsSchema,
    body: answerBodySchema,
    response: publicInvitationSchema,
  }),
} as const;
