import { z } from "zod";
import { needDomainLabels, needDomainSchema } from "../agenda/agenda.schema";
import { uuid } from "../contract";
import { isoDate } from "../dates";
import { directoryKindSchema } from "../directory/directory.schema";
import { choice, eachOnce, optionalText, requiredText, settingDays, whenFieldsValid } from "../fields";

export const conventionLevels = ["national", "regional", "departmental", "local"] as const;
export const conventionLevelSchema = z.enum(conventionLevels, { message: "Choisissez le niveau." });
export type ConventionLevel = z.infer<typeof conventionLevelSchema>;
export const conventionLevelLabels: Record<ConventionLevel, string> = {
  national: "Nationale",
  regional: "Régionale",
  departmental: "Départementale",
  local: "Locale",
};

export const conventionScopes = ["milieu_ouvert", "milieu_ferme", "both"] as const;
export const conventionScopeSchema = z.enum(conventionScopes, { message: "Choisissez le champ." });
export type ConventionScope = z.infer<typeof conventionScopeSchema>;
export const conventionScopeLabels: Record<ConventionScope, string> = {
  milieu_ouvert: "Milieu ouvert",
  milieu_ferme: "Milieu fermé",
  both: "Milieu ouvert et milieu fermé",
};

/** Themes: the data·inclusion thématiques (the needs domains), as for the directory's services. */
export const conventionThemeSchema = needDomainSchema;
export const conventionThemeLabels = needDomainLabels;

/** What was decided and stored. */
export const recordedStatuses = ["draft", "signed", "ended"] as const;
export const recordedStatusSchema = z.enum(recordedStatuses, { message: "Choisissez le statut." });
export type RecordedStatus = z.infer<typeof recordedStatusSchema>;

/** What is shown: "to renew" and "expired" follow from the end date and the structure's alert delay. */
export const conventionStatuses = ["draft", "signed", "to_renew", "expired", "ended"] as const;
export const conventionStatusSchema = z.enum(conventionStatuses);
export type ConventionStatus = z.infer<typeof conventionStatusSchema>;
export const conventionStatusLabels: Record<ConventionStatus, string> = {
  draft: "Brouillon",
  signed: "Signée",
  to_renew: "À renouveler",
  expired: "Expirée",
  ended: "Terminée",
};

/** Alert delay before a convention's end (days): default and bounds a structure may choose within. */
export const ALERT_DAYS = { min: 15, max: 365, default: 90 } as const;

export const conventionIdParamsSchema = z.object({ conventionId: uuid });

const isDay = (value: string): boolean => isoDate.safeParse(value).success;
/** A real day, or "" when left empty; the message is the one of every date of the API (fundings too). */
export const optionalDate = z
  .string()
  .superRefine((value, ctx) => {
    if (value === "") return;
    const parsed = isoDate.safeParse(value);
    if (!parsed.success) ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "" });
  })
  .default("");

export const conventionPartyInputSchema = z
  .object({
    directoryEntryId: choice("Choisissez l'organisation dans l'annuaire.").nullable().default(null),
    /** Typed when not in the directory (the préfecture, the SPIP); else the entry's name. */
    label: optionalText(200).default(""),
  })
  .strict()
  .refine((p) => p.directoryEntryId !== null || p.label.length >= 2, {
    path: ["label"],
    message: "Saisissez le nom de la partie ou choisissez-la dans l'annuaire.",
    when: whenFieldsValid("directoryEntryId", "label"),
  });

export const conventionBodySchema = z
  .object({
    title: requiredText(200, "Saisissez l'intitulé de la convention.", 3),
    reference: optionalText(100).default(""),
    level: conventionLevelSchema,
    scope: conventionScopeSchema,
    themes: eachOnce(z.array(conventionThemeSchema).max(12).default([])),
    parties: z.array(conventionPartyInputSchema).max(20, "20 parties au plus.").default([]),
    status: z.enum(["draft", "signed"], { message: "Choisissez le statut : brouillon ou signée." }),
    signedOn: optionalDate,
    startsOn: optionalDate,
    endsOn: optionalDate,
    renewalTerms: optionalText(1000).default(""),
    tacitRenewal: z.boolean().default(false),
    referentUserId: choice("Choisissez le référent interne parmi les agents de la structure.")
      .nullable()
      .default(null),
  })
  .strict()
  .refine((c) => !isDay(c.startsOn) || !isDay(c.endsOn) || c.endsOn >= c.startsOn, {
    path: ["endsOn"],
    message: "La date de fin doit être postérieure ou égale à la date de début.",
    when: whenFieldsValid("startsOn", "endsOn"),
  })
  .refine((c) => c.status !== "signed" || c.signedOn !== "", {
    path: ["signedOn"],
    message: "Saisissez la date de signature d'une convention signée.",
    when: whenFieldsValid("status", "signedOn"),
  })
  .refine((c) => c.status !== "signed" || c.parties.length > 0, {
    path: ["parties"],
    message: "Indiquez au moins une partie signataire d'une convention signée (ou laissez-la en brouillon).",
    when: whenFieldsValid("status", "parties"),
  })
  .refine((c) => c.status !== "signed" || c.endsOn !== "", {
    path: ["endsOn"],
    message: "Saisissez la date de fin d'une convention signée (les alertes de renouvellement en dépendent).",
    when: whenFieldsValid("status", "endsOn"),
  });
export type ConventionBody = z.infer<typeof conventionBodySchema>;
/** Created, a convention takes the id its form chose, kept until saved (ADR 0036). */
export const newConventionBodySchema = conventionBodySchema.safeExtend({
  id: z.string().uuid("Identifiant de convention invalide.").toLowerCase().optional(),
});
export type NewConventionBody = z.infer<typeof newConventionBodySchema>;

/**
 * The days that record what happened — signing, renewal, ending — are not after today (Paris
 * calendar): a convention "signée" in 2030 would reach the partners' newsletter as signed, and an
 * ending is final at once. The server checks them against its own clock (the issue's path is the
 * body's field); the date fields take `max` = today.
 */
export const pastDayMessages = {
  signedOn:
    "Date de signature dans le futur : une convention signée l'a été au plus tard aujourd'hui. Laissez-la en brouillon jusqu'à sa signature.",
  renewedOn: "Date du renouvellement dans le futur : saisissez une date jusqu'à aujourd'hui.",
  endedOn:
    "Date dans le futur : une convention prend fin au plus tard aujourd'hui. Pour une fin à venir, modifiez sa date de fin.",
} as const;
export type PastDayField = keyof typeof pastDayMessages;

/** The fields of `days` set after `today`, each with its French message. */
export function daysAfterToday(
  days: Partial<Record<PastDayField, string | null>>,
  today: string,
): { field: PastDayField; message: string }[] {
  return (Object.keys(pastDayMessages) as PastDayField[])
    .filter((field) => {
      const day = days[field];
      return typeof day === "string" && day !== "" && day > today;
    })
    .map((field) => ({ field, message: pastDayMessages[field] }));
}

/**
 * The refinement refusing the days of `body` set after `today`, each under its field: added to a
 * body's schema for a day (`…On(today)`), so the server tells it with the body's other problems in
 * one answer (the route's `bodyOn`, today by the server's clock) and the form with the browser's day.
 */
function noDayAfter(today: string) {
  return (body: Partial<Record<PastDayField, string | null>>, ctx: z.RefinementCtx): void => {
    for (const { field, message } of daysAfterToday(body, today))
      ctx.addIssue({ code: "custom", path: [field], message });
  };
}

/** A convention as recorded on `today`: its signing day is not after today. */
export const conventionBodySchemaOn = (today: string) =>
  conventionBodySchema.superRefine(noDayAfter(today), { when: whenFieldsValid("signedOn") });
export const newConventionBodySchemaOn = (today: string) =>
  newConventionBodySchema.superRefine(noDayAfter(today), { when: whenFieldsValid("signedOn") });

export const renewBodySchema = z
  .object({
    endsOn: z.string().min(1, "Saisissez la nouvelle date de fin.").pipe(isoDate),
    renewedOn: z.string().min(1, "Saisissez la date du renouvellement.").pipe(isoDate),
  })
  .strict();
export const endBodySchema = z
  .object({ endedOn: z.string().min(1, "Saisissez la date de fin de la convention.").pipe(isoDate) })
  .strict();
/** A renewal or an ending recorded on `today`: not on a later day. */
export const renewBodySchemaOn = (today: string) =>
  renewBodySchema.superRefine(noDayAfter(today), { when: whenFieldsValid("renewedOn") });
export const endBodySchemaOn = (today: string) =>
  endBodySchema.superRefine(noDayAfter(today), { when: whenFieldsValid("endedOn") });

export const conventionPartySchema = z.object({
  directoryEntryId: z.string().nullable(),
  label: z.string(),
  /** The directory entry's kind (« Collectivité territoriale »…); null for a party typed in. */
  kind: directoryKindSchema.nullable(),
});

export const conventionViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  reference: z.string(),
  level: conventionLevelSchema,
  scope: conventionScopeSchema,
  themes: z.array(conventionThemeSchema),
  parties: z.array(conventionPartySchema),
  recordedStatus: recordedStatusSchema,
  status: conventionStatusSchema,
  signedOn: z.string().nullable(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  renewedOn: z.string().nullable(),
  /** Days until the end (negative once passed), null without an end date. */
  daysLeft: z.number().int().nullable(),
  renewalTerms: z.string(),
  tacitRenewal: z.boolean(),
  referent: z.object({ id: z.string(), name: z.string() }).nullable(),
  signedFile: z.object({ name: z.string(), size: z.number().int() }).nullable(),
});
export type ConventionView = z.infer<typeof conventionViewSchema>;

export const conventionListQuerySchema = z
  .object({
    status: conventionStatusSchema.optional(),
    level: conventionLevelSchema.optional(),
    theme: conventionThemeSchema.optional(),
  })
  .strict();

export const conventionListSchema = z.object({
  conventions: z.array(conventionViewSchema),
  alertDays: z.number().int(),
  permissions: z.object({ edit: z.boolean(), downloadSignedFile: z.boolean() }),
});
export type ConventionList = z.infer<typeof conventionListSchema>;

export const conventionDetailSchema = z.object({
  convention: conventionViewSchema,
  permissions: z.object({ edit: z.boolean(), downloadSignedFile: z.boolean() }),
});
export type ConventionDetail = z.infer<typeof conventionDetailSchema>;

/** What the form offers: the structure's agents (referent) and the directory's entries (parties). */
export const conventionFormOptionsSchema = z.object({
  agents: z.array(z.object({ id: z.string(), name: z.string() })),
  entries: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const conventionSettingsSchema = z
  .object({
    alertDays: settingDays(ALERT_DAYS),
  })
  .strict();

export const conventionAlertSchema = z.object({
  id: z.string(),
  title: z.string(),
  endsOn: z.string(),
  daysLeft: z.number().int(),
  status: conventionStatusSchema,
});
export const conventionAlertsSchema = z.object({
  alerts: z.array(conventionAlertSchema),
  alertDays: z.number().int(),
});
export type ConventionAlerts = z.infer<typeof conventionAlertsSchema>;

export const uploadResultSchema = z.object({ name: z.string(), size: z.number().int() });
export const MAX_SIGNED_PDF_BYTES = 10 * 1024 * 1024;
