import { z } from "zod";
import { defineRoute, okSchema } from "../contract";
import { personIdParamsSchema } from "../people/people.schema";
import { staffAnd } from "../roles";
import {
  documentIdParamsSchema,
  documentsQuerySchema,
  documentsSchema,
  documentViewSchema,
  orientationIdParamsSchema,
  shareBodySchema,
  sharedDocumentsSchema,
  shareIdParamsSchema,
  uploadFormSchema,
} from "./documents.schema";

const fileResponse = z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array);

/** Documents that follow the person (ADR 0027): encrypted at rest, every download journaled. */
export const documentsRoutes = {
  list: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/people/:personId/documents",
    summary:
      "Les documents de la personne que l'agent peut voir (jamais un document judiciaire pour un conseiller), avec leurs partages",
    params: personIdParamsSchema,
    query: documentsQuerySchema,
    response: documentsSchema,
    nominative: {},
  }),
  upload: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/people/:personId/documents",
    summary:
      "Déposer un document (multipart : champs kind, title, demarcheId, id (facultatif, choisi par le formulaire : un renvoi répond le document déjà déposé) puis le fichier « file » ; JPEG, PNG, WebP, HEIC ou PDF, 10 Mo au plus ; photos réduites)",
    params: personIdParamsSchema,
    form: uploadFormSchema,
    response: documentViewSchema,
    nominative: { peopleIn: (answer) => [answer.personId] },
  }),
  download: defineRoute({
    method: "GET",
    path: "/api/documents/:documentId/file",
    summary: "Télécharger un document (déchiffré, en pièce jointe) ; chaque téléchargement est journalisé",
    params: documentIdParamsSchema,
    response: fileResponse,
    produces: "application/octet-stream",
    nominative: {},
  }),
  remove: defineRoute({
    onlyRoles: staffAnd(),
    method: "DELETE",
    path: "/api/documents/:documentId",
    summary: "Retirer un document du dossier (il reste au journal ; le fichier est effacé à la purge)",
    params: documentIdParamsSchema,
    response: okSchema,
  }),
  share: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/documents/:documentId/shares",
    summary:
      "Partager un document : avec une orientation sous consentement, ou hors de la structure sous une base légale (qui, à qui, pourquoi, jusqu'à quand)",
    params: documentIdParamsSchema,
    body: shareBodySchema,
    response: documentViewSchema,
    nominative: { peopleIn: (answer) => [answer.personId] },
  }),
  withdrawShare: defineRoute({
    onlyRoles: staffAnd(),
    method: "POST",
    path: "/api/document-shares/:shareId/withdraw",
    summary: "Retirer un partage de document : le destinataire n'y a plus accès",
    params: shareIdParamsSchema,
    response: documentViewSchema,
    nominative: { peopleIn: (answer) => [answer.personId] },
  }),
  ofOrientation: defineRoute({
    onlyRoles: staffAnd("partner_referent", "mediator"),
    method: "GET",
    path: "/api/orientations/:orientationId/documents",
    summary:
      "Le côté qui reçoit une orientation : les documents partagés avec elle, tant que le consentement de la personne le couvre",
    params: orientationIdParamsSchema,
    response: sharedDocumentsSchema,
  }),
  received: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/received-documents",
    summary:
      "Les documents partagés avec la structure par une autre structure, avec la base légale de chaque partage",
    params: z.object({ structureId: z.uuid({ message: "Identifiant invalide" }).toLowerCase() }),
    response: sharedDocumentsSchema,
  }),
};
