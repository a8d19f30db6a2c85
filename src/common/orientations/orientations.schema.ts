import { z } from "zod";
import { needDomainSchema } from "../agenda/agenda.schema";
import { uuid } from "../contract";
import { choice, optionalText, requiredText, whenFieldsValid } from "../fields";
import type { PartnerKind } from "../roles";

export const orientationTargets = [
  "mediation",
  "partner_back_office",
  "iae_employer",
  "mission_locale",
  "point_justice",
  "other",
] as const;
export const orientationTargetSchema = z.enum(orientationTargets);
export type OrientationTarget = z.infer<typeof orientationTargetSchema>;
export const orientationTargetLabels: Record<OrientationTarget, string> = {
  mediation: "Service de médiation de l'association (dossier complexe)",
  partner_back_office: "Correspondant back-office d'un partenaire (sollicitation)",
  iae_employer: "Employeur de l'insertion par l'activité économique (IAE)",
  mission_locale: "Mission locale",
  point_justice: "Point justice",
  other: "Autre structure de l'annuaire",
};

/**
 * Which catalogue partners may receive an orientation of each target (ADR 0030, addendum): an IAE
 * orientation goes to an IAE employer only, and an IAE employer receives nothing else; a back-office
 * request goes to a national operator or its local correspondent; the mediation has no partner.
 */
export const partnerKindsForTarget: Record<OrientationTarget, readonly PartnerKind[]> = {
  mediation: [],
  partner_back_office: ["national_operator", "local_correspondent"],
  iae_employer: ["iae_employer"],
  mission_locale: ["national_operator", "local_correspondent", "association"],
  point_justice: ["national_operator", "local_correspondent", "association"],
  other: ["national_operator", "local_correspondent", "association"],
};
export const partnerFitsTarget = (target: OrientationTarget, kind: PartnerKind): boolean =>
  partnerKindsForTarget[target].includes(kind);

/** Under « Organisation destinataire » when the chosen partner does not fit the target. */
export function partnerNotForTargetMessage(target: OrientationTarget): string {
  if (target === "iae_employer")
    return "Une orientation vers l'IAE s'adresse à un employeur IAE du catalogue des partenaires : choisissez-en un.";
  if (target === "partner_back_office")
    return "Une sollicitation back-office s'adresse à un opérateur national ou à son correspondant local : choisissez-en un.";
  return "Un employeur IAE ne reçoit que les orientations vers l'IAE : choisissez une autre organisation.";
}

export const iaeKinds = ["ACI", "AI", "EI", "ETTI", "EITI", "GEIQ", "EA"] as const;
export const iaeKindSchema = z.enum(iaeKinds);
export const iaeEligibilityHint =
  "« Sortant de détention ou personne placée sous main de justice » est un critère d'éligibilité IAE de niveau 2 ; le SPIP est prescripteur habilité (Plateforme de l'inclusion).";

export const orientationStatuses = [
  "draft",
  "sent",
  "accepted",
  "refused",
  "expired",
  "cancelled",
  "completed",
] as const;
export const orientationStatusSchema = z.enum(orientationStatuses);
export type OrientationStatus = z.infer<typeof orientationStatusSchema>;
export const orientationStatusLabels: Record<OrientationStatus, string> = {
  draft: "Brouillon",
  sent: "Envoyée, sans réponse",
  accepted: "Acceptée",
  refused: "Refusée",
  expired: "Expirée (30 jours sans réponse)",
  cancelled: "Annulée",
  completed: "Terminée",
};
/** An orientation left without answer this long expires. */
export const ORIENTATION_EXPIRY_DAYS = 30;

/** What the structure sees of an orientation. */
export const orientationViewSchema = z.object({
  id: z.string(),
  target: orientationTargetSchema,
  partnerName: z.string().nullable(),
  iaeKind: iaeKindSchema.nullable(),
  /** The named contact chosen in the partners' directory ("Nom, fonction"), if any. */
  contactName: z.string().nullable(),
  demarcheLabel: z.string().nullable(),
  reason: z.string(),
  status: orientationStatusSchema,
  refusalReason: z.string(),
  refusalReasonForPerson: z.boolean(),
  outcome: z.string(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  /** Hours between sending and the partner's answer. */
  responseHours: z.number().nullable(),
  /** It names a partner that the person's consent in force does not name: it cannot be sent yet. */
  needsConsent: z.boolean(),
  permissions: z.object({ send: z.boolean(), cancel: z.boolean() }),
});
export type OrientationView = z.infer<typeof orientationViewSchema>;
export const orientationListSchema = z.object({
  orientations: z.array(orientationViewSchema),
  permissions: z.object({ create: z.boolean() }),
});

/** What a partner referent sees: only what the person's consent names them for. */
export const inboxItemSchema = z.object({
  id: z.string(),
  structureName: z.string(),
  target: orientationTargetSchema,
  iaeKind: iaeKindSchema.nullable(),
  reason: z.string(),
  status: orientationStatusSchema,
  sentAt: z.string(),
  expiresAt: z.string(),
  /**
   * Who the orientation is about, while the person's consent names the partner; null once the
   * consent is withdrawn (the item is then closed). The birth date and the structure's file number
   * are what the partner needs to find the file on its side.
   */
  person: z
    .object({
      firstName: z.string(),
      lastName: z.string(),
      birthDate: z.string(),
      fileNumber: z.number().int(),
      phone: z.string(),
      email: z.string(),
    })
    .nullable(),
  sharedNeeds: z.array(needDomainSchema),
  demarcheLabel: z.string().nullable(),
  /** Documents shared with the receiver through this orientation (listed on demand, journaled). */
  documentCount: z.number().int(),
  /** When it was accepted or refused; null before. */
  answeredAt: z.string().nullable(),
  /** When its outcome was reported (« Terminée »); null before. */
  completedAt: z.string().nullable(),
  /** The receiver's own reason, when refused, and whether the person may be told it. */
  refusalReason: z.string(),
  refusalReasonForPerson: z.boolean(),
  outcome: z.string(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;
export const inboxSchema = z.object({ orientations: z.array(inboxItemSchema) });

export const newOrientationSchema = z
  .object({
    target: orientationTargetSchema,
    partnerId: choice("Choisissez l'organisation destinataire.").nullable().default(null),
    iaeKind: iaeKindSchema.nullable().default(null),
    demarcheId: choice("Choisissez la démarche concernée, ou « Aucune ».").nullable().default(null),
    /** The contact at the receiving organisation, among the directory's (optional). */
    directoryContactId: choice("Choisissez le contact dans la liste, ou « Aucun en particulier ».")
      .nullable()
      .default(null),
    reason: requiredText(1000, "Expliquez en une phrase ce qui est demandé (10 caractères au moins).", 10),
    send: z.boolean().default(true),
    /** Chosen by the form when it opens: sent again after a lost answer, the same orientation (ADR 0036). */
    id: z.string().uuid("Identifiant d'orientation invalide.").toLowerCase().optional(),
  })
  .refine((o) => o.target === "mediation" || o.partnerId !== null, {
    path: ["partnerId"],
    message: "Choisissez l'organisation destinataire.",
    when: whenFieldsValid("target", "partnerId"),
  })
  .refine((o) => o.target !== "iae_employer" || o.iaeKind !== null, {
    path: ["iaeKind"],
    message: "Choisissez le type de structure IAE.",
    when: whenFieldsValid("target", "iaeKind"),
  });
export type NewOrientation = z.infer<typeof newOrientationSchema>;

export const orientationIdParamsSchema = z.object({ orientationId: uuid });
/** A refusal says why, in a few words at least. */
export const REFUSAL_REASON_MIN = 5;
export const answerSchema = z
  .object({
    decision: z.enum(["accept", "refuse"]),
    reason: optionalText(500).default(""),
    showReasonToPerson: z.boolean().default(false),
  })
  .refine((a) => a.decision === "accept" || a.reason.length > 0, {
    path: ["reason"],
    message: "Indiquez la raison du refus.",
  })
  .refine((a) => a.decision === "accept" || a.reason.length === 0 || a.reason.length >= REFUSAL_REASON_MIN, {
    path: ["reason"],
    message: `La raison du refus doit compter ${REFUSAL_REASON_MIN} caractères au moins.`,
  });
export const completeSchema = z.object({
  outcome: requiredText(1000, "Indiquez le résultat (3 caractères au moins).", 3),
});
