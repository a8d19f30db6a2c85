import { defineRoute, okSchema } from "../contract";
import { staffAnd } from "../roles";
import { structureIdParamsSchema } from "../structures/structures.schema";
import {
  brevoSmsEventSchema,
  notificationConfigSchema,
  notificationLogQuerySchema,
  notificationLogSchema,
  notificationSettingsSchema,
  smsStopBodySchema,
  templateBodySchema,
  templateParamsSchema,
  templateViewSchema,
  webhookParamsSchema,
  webhookQuerySchema,
} from "./notifications.schema";

export const notificationsRoutes = {
  log: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/notifications",
    summary: "Le journal des SMS et courriels de la structure (direction)",
    params: structureIdParamsSchema,
    query: notificationLogQuerySchema,
    response: notificationLogSchema,
    nominative: {},
  }),
  config: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/structures/:structureId/notification-config",
    summary: "Réglages et modèles de messages de la structure",
    params: structureIdParamsSchema,
    response: notificationConfigSchema,
  }),
  saveSettings: defineRoute({
    onlyRoles: staffAnd(),
    method: "PUT",
    path: "/api/structures/:structureId/notification-settings",
    summary: "Modifier le délai de rappel, les heures sans SMS et le lien de préparation",
    params: structureIdParamsSchema,
    body: notificationSettingsSchema,
    response: okSchema,
  }),
  saveTemplate: defineRoute({
    onlyRoles: staffAnd(),
    method: "PUT",
    path: "/api/structures/:structureId/notification-templates/:kind/:channel",
    summary: "Modifier un modèle de message (variables autorisées uniquement)",
    params: templateParamsSchema,
    body: templateBodySchema,
    response: templateViewSchema,
  }),
  smsStop: defineRoute({
    method: "POST",
    path: "/api/public/sms-stop",
    summary: "Ne plus recevoir de SMS (lien personnel reçu par SMS)",
    access: "public",
    body: smsStopBodySchema,
    response: okSchema,
  }),
  smsReceipt: defineRoute({
    method: "POST",
    path: "/api/webhooks/sms/:token",
    summary: "Accusé de réception d'un SMS envoyé par le fournisseur (Brevo)",
    access: "public",
    params: webhookParamsSchema,
    query: webhookQuerySchema,
    body: brevoSmsEventSchema,
    response: okSchema,
  }),
} as const;
