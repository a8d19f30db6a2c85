import { z } from "zod";
import { needDomainSchema } from "../agenda/agenda.schema";
import { uuid } from "../contract";
import { eachOnce, requiredText, whenFieldsValid } from "../fields";
import { serviceKindSchema } from "../roles";

/** A person's consent to share information between professionals ("secret partagé"). */
export const consentViewSchema = z.object({
  id: z.string(),
  domains: z.array(needDomainSchema),
  shareDemarcheDetails: z.boolean(),
  shareNotes: z.boolean(),
  recipients: z.array(serviceKindSchema),
  partners: z.array(z.object({ id: z.string(), name: z.string() })),
  purpose: z.string(),
  collectedByName: z.string().nullable(),
  collectedAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedByName: z.string().nullable(),
});
export type ConsentView = z.infer<typeof consentViewSchema>;
export const consentsSchema = z.object({
  /** The consent in force (the latest not revoked), null when the person shared nothing. */
  active: consentViewSchema.nullable(),
  history: z.array(consentViewSchema),
  permissions: z.object({ record: z.boolean() }),
});

export const consentBodySchema = z
  .object({
    domains: eachOnce(z.array(needDomainSchema).max(12).default([])),
    shareDemarcheDetails: z.boolean(),
    shareNotes: z.boolean(),
    recipients: eachOnce(z.array(serviceKindSchema).max(2).default([])),
    partnerIds: eachOnce(z.array(uuid).max(20).default([])),
    purpose: requiredText(300, "Indiquez dans quel but la personne partage ces informations.", 3),
  })
  .refine((c) => c.recipients.length + c.partnerIds.length > 0, {
    path: ["recipients"],
    message: "Choisissez avec qui les informations sont partagées.",
    // Said along with the other fields' problems, not only once they are fixed.
    when: whenFieldsValid("recipients", "partnerIds"),
  });
export type ConsentBody = z.infer<typeof consentBodySchema>;
/** Recorded on its own, a consent takes the id its form chose, kept until saved (ADR 0036). */
export const newConsentBodySchema = consentBodySchema.safeExtend({
  id: z.string().uuid("Identifiant de consentement invalide.").optional(),
});
export type NewConsentBody = z.infer<typeof newConsentBodySchema>;
export const consentIdParamsSchema = z.object({ consentId: uuid });

export const noteVisibilities = ["service", "shared"] as const;
export const noteVisibilitySchema = z.enum(noteVisibilities);
export type NoteVisibility = z.infer<typeof noteVisibilitySchema>;
export const noteVisibilityLabels: Record<NoteVisibility, string> = {
  service: "Mon service seulement",
  shared: "Partagée si la personne y consent",
};

export const noteViewSchema = z.object({
  id: z.string(),
  body: z.string(),
  visibility: noteVisibilitySchema,
  authorName: z.string(),
  authorServiceName: z.string(),
  createdAt: z.string(),
});
export type NoteView = z.infer<typeof noteViewSchema>;
export const notesSchema = z.object({
  notes: z.array(noteViewSchema),
  permissions: z.object({ write: z.boolean() }),
});

export const noteBodySchema = z.object({
  /** The note's id, chosen by the form and kept until saved: sent again, it is not written twice (ADR 0036). */
  id: z.string().uuid("Identifiant de note invalide.").toLowerCase().optional(),
  visibility: noteVisibilitySchema,
  body: requiredText(2000, "Saisissez le texte de la note."),
});
