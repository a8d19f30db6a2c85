import { z } from "zod";
import { uuid } from "../contract";
import { timeOfDay } from "../dates";
import { optionalText, requiredText, wholeNumber } from "../fields";
import { notificationChannels, notificationKinds } from "./templates";

export const notificationStatuses = [
  "pending",
  "sending",
  "sent",
  "delivered",
  "failed",
  "skipped",
  "uncertain",
  "logged",
] as const;
export type NotificationStatus = (typeof notificationStatuses)[number];
export const notificationStatusLabels: Record<NotificationStatus, string> = {
  pending: "En attente",
  sending: "En cours d'envoi",
  sent: "Envoyé",
  delivered: "Reçu",
  failed: "Échec",
  skipped: "Non envoyé",
  uncertain: "Envoi incertain",
  logged: "Non envoyé : aucun fournisseur configuré",
};

/**
 * Kinds in the log: the person's messages, the alerts to the direction, the notices to partners,
 * the notices to agents about their account.
 */
export const loggedKinds = [
  ...notificationKinds,
  "failure_alert",
  "orientation_sent",
  "account_notice",
  "invitation",
  "newsletter",
  "agent_alert",
] as const;
export type LoggedKind = (typeof loggedKinds)[number];

export const notificationKindSchema = z.enum(notificationKinds);
export const notificationChannelSchema = z.enum(notificationChannels);

export const notificationLogQuerySchema = z.object({
  status: z.enum(notificationStatuses).optional(),
  channel: notificationChannelSchema.optional(),
});

export const notificationViewSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  kind: z.enum(loggedKinds),
  channel: notificationChannelSchema,
  status: z.enum(notificationStatuses),
  recipient: z.string(),
  personName: z.string().nullable(),
  appointmentAt: z.string().nullable(),
  attempts: z.number().int(),
  /** When a pending message is due to leave (after quiet hours, a retry delay, or the reminder delay). */
  notBefore: z.string(),
  lastError: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  /**
   * Sends whose outcome is unknown (provider timeout, cut connection, worker stopped mid-send):
   * the message may have arrived. An uncertain message is sent again at most once.
   */
  uncertainSends: z.number().int(),
  /** When the last send with an unknown outcome happened. */
  uncertainAt: z.string().nullable(),
  body: z.string(),
});
export type NotificationView = z.infer<typeof notificationViewSchema>;
export const notificationLogSchema = z.object({
  notifications: z.array(notificationViewSchema),
  failedLast7Days: z.number().int(),
  /** Convocation messages that ended "envoi incertain" (maybe received, not sent again). */
  uncertainLast7Days: z.number().int(),
});

export const templateParamsSchema = z.object({
  structureId: uuid,
  kind: notificationKindSchema,
  channel: notificationChannelSchema,
});

export const templateViewSchema = z.object({
  kind: notificationKindSchema,
  channel: notificationChannelSchema,
  subject: z.string(),
  body: z.string(),
  isDefault: z.boolean(),
});
export type TemplateView = z.infer<typeof templateViewSchema>;

const hhmm = timeOfDay;

export const notificationSettingsSchema = z.object({
  reminderHours: wholeNumber({
    notWhole: "Saisissez un nombre entier d'heures.",
    min: 1,
    tooSmall: "Saisissez 1 heure au moins.",
    max: 168,
    tooBig: "Saisissez 168 heures (7 jours) au plus.",
  }),
  notifyMissed: z.boolean(),
  quietFrom: hhmm,
  quietTo: hhmm,
  preparationUrl: z
    .string()
    .trim()
    .max(200, "200 caractères au plus.")
    .refine(
      (value) => value === "" || z.url({ protocol: /^https?$/ }).safeParse(value).success,
      "Saisissez une adresse web complète, par exemple https://exemple.fr/preparer.",
    ),
  letterhead: z
    .string()
    .trim()
    .max(400, "400 caractères au plus.")
    .refine((text) => text.split("\n").length <= 6, "6 lignes au plus."),
  measureAlertDays: wholeNumber({
    notWhole: "Saisissez un nombre entier de jours.",
    min: 7,
    tooSmall: "Saisissez 7 jours au moins.",
    max: 365,
    tooBig: "Saisissez 365 jours au plus.",
  }),
  notSeenWeeks: wholeNumber({
    notWhole: "Saisissez un nombre entier de semaines.",
    min: 1,
    tooSmall: "Saisissez 1 semaine au moins.",
    max: 52,
    tooBig: "Saisissez 52 semaines au plus.",
  }),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export const notificationConfigSchema = z.object({
  settings: notificationSettingsSchema,
  templates: z.array(templateViewSchema),
  /** Site values used by the live preview, so it shows what the people of this structure receive. */
  longestSite: z.object({ lieu: z.string(), adresse: z.string(), telephone: z.string() }),
});
export type NotificationConfig = z.infer<typeof notificationConfigSchema>;

export const templateBodySchema = z.object({
  subject: optionalText(200),
  body: requiredText(4000, "Saisissez le texte du message."),
});

export const smsStopBodySchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9]{10,40}$/, "Lien invalide."),
});

/** A delivery receipt as Brevo posts it to the `webUrl` given at sending (transactional SMS events). */
export const brevoSmsEventSchema = z.looseObject({
  messageId: z.union([z.number(), z.string()]).transform(String),
  msg_status: z.string(),
  to: z.string().optional(),
  date: z.string().optional(),
});
export const webhookParamsSchema = z.object({ token: z.string().min(1).max(200) });
/** The notification id we put in the `webUrl` of each SMS: Brevo has no idempotency key. */
export const webhookQuerySchema = z.object({ notification: uuid.optional() });
