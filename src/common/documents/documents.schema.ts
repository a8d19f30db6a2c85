import { z } from "zod";
import { uuid } from "../contract";
import { isoDate } from "../dates";

/** What a document is; the judicial kinds are the SPIP's only (never a counselor's). */
export const documentKinds = [
  "identity",
  "proof",
  "rights_decision",
  "judgment_extract",
  "expertise",
  "other",
] as const;
export type DocumentKind = (typeof documentKinds)[number];
export const judicialDocumentKinds: readonly DocumentKind[] = ["judgment_extract", "expertise"];
export const isJudicialKind = (kind: DocumentKind): boolean => judicialDocumentKinds.includes(kind);

export const documentKindLabels: Record<DocumentKind, string> = {
  identity: "Pièce d'identité",
  proof: "Justificatif",
  rights_decision: "Décision d'ouverture de droits",
  judgment_extract: "Extrait de jugement",
  expertise: "Expertise",
  other: "Autre document",
};

/** The largest file accepted (before reduction); a larger one is refused before it is stored. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** What the upload field offers (`accept`); the server checks the bytes, not this list. */
export const DOCUMENT_ACCEPT = "image/*,application/pdf";

/** The fields sent with the file (multipart fields before the file). */
export const uploadFieldsSchema = z
  .object({
    kind: z.enum(documentKinds, { message: "Choisissez le type de document." }),
    title: z
      .string()
      .trim()
      .min(1, "Donnez un titre au document (par exemple « Carte d'identité recto-verso »).")
      .max(200, "Le titre ne doit pas dépasser 200 caractères."),
    demarcheId: z.union([uuid, z.literal("")]).optional(),
    /** The id the form chose for the new document, kept until it is saved (ADR 0036). */
    id: z.uuid({ message: "Identifiant de document invalide." }).toLowerCase().optional(),
  })
  .strict();
export type UploadFields = z.infer<typeof uploadFieldsSchema>;
/** The whole upload form, as the OpenAPI document shows it: the fields, then the file. */
export const uploadFormSchema = uploadFieldsSchema.extend({
  file: z.file().describe("JPEG, PNG, WebP, HEIC ou PDF, 10 Mo au plus"),
});

export const documentIdParamsSchema = z.object({ documentId: uuid });
export const shareIdParamsSchema = z.object({ shareId: uuid });
export const orientationIdParamsSchema = z.object({ orientationId: uuid });
export const documentsQuerySchema = z.object({ demarcheId: uuid.optional() }).strict();

/**
 * A share lasts one year at most (ADR 0027, addendum): shared again at the end if still needed, so a
 * document never stays open to a receiver for good by a typing slip (2199).
 */
export const SHARE_MAX_DAYS = 365;

/**
 * A share: to an orientation's receiving side under the person's consent (the partner's inbox), or
 * outside the structure under a legal basis (a receiving structure in Passerelle, or a named
 * recipient outside it): who, to whom, why, until when.
 */
export const shareBodySchema = z.discriminatedUnion("to", [
  z
    .object({
      to: z.literal("orientation"),
      orientationId: z.uuid({ message: "Choisissez l'orientation." }).toLowerCase(),
      reason: z.string().trim().min(1, "Indiquez pourquoi ce document est partagé.").max(500),
      until: isoDate.optional(),
    })
    .strict(),
  z
    .object({
      to: z.literal("structure"),
      recipientStructureId: z
        .uuid({ message: "Choisissez la structure destinataire dans la liste." })
        .toLowerCase(),
      legalBasis: z
        .string()
        .trim()
        .min(3, "Indiquez la base légale du partage (texte, article, décision).")
        .max(300),
      reason: z.string().trim().min(1, "Indiquez pourquoi ce document est partagé.").max(500),
      until: isoDate,
    })
    .strict(),
  z
    .object({
      to: z.literal("outside"),
      recipientLabel: z
        .string()
        .trim()
        .min(2, "Indiquez le destinataire (structure, employeur, hébergement).")
        .max(200),
      legalBasis: z
        .string()
        .trim()
        .min(3, "Indiquez la base légale du partage (texte, article, décision).")
        .max(300),
      reason: z.string().trim().min(1, "Indiquez pourquoi ce document est partagé.").max(500),
      until: isoDate,
    })
    .strict(),
]);
export type ShareBody = z.infer<typeof shareBodySchema>;

export const shareViewSchema = z.object({
  id: uuid,
  to: z.enum(["orientation", "structure", "outside"]),
  recipient: z.string(),
  legalBasis: z.string(),
  reason: z.string(),
  sharedByName: z.string(),
  sharedAt: z.string(),
  until: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  /** Live: not withdrawn, not past its date, and (for an orientation) the consent still covers it. */
  live: z.boolean(),
});
export type ShareView = z.infer<typeof shareViewSchema>;

export const documentViewSchema = z.object({
  id: uuid,
  personId: uuid,
  demarcheId: uuid.nullable(),
  demarcheLabel: z.string().nullable(),
  kind: z.enum(documentKinds),
  judicial: z.boolean(),
  title: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  uploadedByName: z.string(),
  uploadedAt: z.string(),
  permissions: z.object({ delete: z.boolean(), share: z.boolean() }),
  shares: z.array(shareViewSchema),
});
export type DocumentView = z.infer<typeof documentViewSchema>;

export const documentsSchema = z.object({
  documents: z.array(documentViewSchema),
  permissions: z.object({ upload: z.boolean(), uploadJudicial: z.boolean() }),
  /** The orientations a document may be shared with (sent or accepted, to a partner). */
  shareTargets: z.array(z.object({ orientationId: uuid, label: z.string(), consent: z.boolean() })),
  /** The other structures of Passerelle a document may be shared with, under a legal basis. */
  shareStructures: z.array(z.object({ id: uuid, name: z.string() })),
});
export type Documents = z.infer<typeof documentsSchema>;

/** What a receiving side sees of a shared document: no person field beyond what the share carries. */
export const sharedDocumentSchema = z.object({
  id: uuid,
  shareId: uuid,
  kind: z.enum(documentKinds),
  title: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sharedAt: z.string(),
  until: z.string().nullable(),
  legalBasis: z.string(),
  reason: z.string(),
  fromStructure: z.string(),
  /** Whose document it is ("Prénom NOM"); the share is what allows the receiving side to know. */
  personName: z.string(),
});
export type SharedDocument = z.infer<typeof sharedDocumentSchema>;
export const sharedDocumentsSchema = z.object({ documents: z.array(sharedDocumentSchema) });
