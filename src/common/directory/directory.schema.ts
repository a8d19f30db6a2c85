import { z } from "zod";
import { needDomainLabels, needDomainSchema } from "../agenda/agenda.schema";
import { uuid } from "../contract";
import {
  choice,
  eachOnce,
  optionalEmail,
  optionalPhone,
  optionalText,
  optionalWebsite,
  requiredText,
  whenFieldsValid,
} from "../fields";
import { iaeKindSchema } from "../orientations/orientations.schema";
import { compactSiret, isValidSiret } from "./siret";

/**
 * The kinds of organisations of the partners' directory (issue 15), and the local partners the
 * seeds name (ADR 0039): the mairie and the département (contrat local de sécurité, cofunding, lent
 * premises), the préfecture and the State's services (FIPD, DREETS, DISP), Cap emploi, Points justice.
 */
export const directoryKinds = [
  "national_operator",
  "local_correspondent",
  "mission_locale",
  "ccas",
  "siao",
  "association",
  "iae_employer",
  "local_authority",
  "state_service",
  "cap_emploi",
  "point_justice",
  "other",
] as const;
export const directoryKindSchema = z.enum(directoryKinds, { message: "Choisissez le type d'organisation." });
export type DirectoryKind = z.infer<typeof directoryKindSchema>;
export const directoryKindLabels: Record<DirectoryKind, string> = {
  national_operator: "Opérateur national",
  local_correspondent: "Correspondant local",
  mission_locale: "Mission locale",
  ccas: "CCAS",
  siao: "SIAO",
  association: "Association",
  iae_employer: "Employeur IAE",
  local_authority: "Collectivité territoriale (mairie, département)",
  state_service: "Préfecture / services de l'État",
  cap_emploi: "Cap emploi",
  point_justice: "Point justice",
  other: "Autre",
};

/** Services offered: the data·inclusion thématiques, the same codes as the needs domains. */
export const directoryServiceSchema = needDomainSchema;
export const directoryServiceLabels = needDomainLabels;

export const directoryEntryIdParamsSchema = z.object({ entryId: uuid });
export const directoryContactIdParamsSchema = z.object({ contactId: uuid });

export const siretField = z
  .string()
  .transform(compactSiret)
  .refine(
    (value) => value === "" || isValidSiret(value),
    "Saisissez un SIRET valide : 14 chiffres (numéro SIREN puis NIC), par exemple 123 456 789 00012.",
  );

export const directoryEntryBodySchema = z
  .object({
    name: requiredText(200, "Saisissez le nom de l'organisation.", 2),
    kind: directoryKindSchema,
    partnerId: choice("Choisissez l'opérateur du catalogue.").nullable().default(null),
    iaeKind: iaeKindSchema.nullable().default(null),
    siret: siretField.default(""),
    inPrison: z.boolean().default(false),
    area: optionalText(300).default(""),
    services: eachOnce(z.array(directoryServiceSchema).max(12).default([])),
    address: optionalText(300).default(""),
    phone: optionalPhone.default(""),
    email: optionalEmail.default(""),
    website: optionalWebsite.default(""),
    notes: optionalText(2000).default(""),
  })
  .strict()
  .refine((e) => e.kind !== "national_operator" || e.partnerId !== null, {
    path: ["partnerId"],
    message: "Choisissez l'opérateur national du catalogue que représente cette entrée.",
    when: whenFieldsValid("kind", "partnerId"),
  })
  .refine((e) => e.kind !== "iae_employer" || e.iaeKind !== null, {
    path: ["iaeKind"],
    message: "Choisissez le type de structure IAE (ACI, AI, EI, ETTI, EITI, GEIQ, EA).",
    when: whenFieldsValid("kind", "iaeKind"),
  })
  .refine((e) => e.kind !== "iae_employer" || e.siret !== "", {
    path: ["siret"],
    message: "Saisissez le SIRET de l'employeur IAE (14 chiffres).",
    when: whenFieldsValid("kind", "siret"),
  });
export type DirectoryEntryBody = z.infer<typeof directoryEntryBodySchema>;

export const directoryContactBodySchema = z
  .object({
    name: requiredText(120, "Saisissez le prénom et le nom du contact.", 2),
    function: optionalText(120).default(""),
    email: optionalEmail.default(""),
    phone: optionalPhone.default(""),
    newsletterSubscribed: z.boolean().default(false),
  })
  .strict()
  .refine((c) => !c.newsletterSubscribed || c.email !== "", {
    path: ["email"],
    message: "Saisissez l'adresse électronique du contact pour l'abonner à la lettre d'information.",
    when: whenFieldsValid("newsletterSubscribed", "email"),
  });
export type DirectoryContactBody = z.infer<typeof directoryContactBodySchema>;

/** Created, an entry or a contact takes the id its form chose, kept until saved (ADR 0036). */
export const newDirectoryEntryBodySchema = directoryEntryBodySchema.safeExtend({
  id: z.string().uuid("Identifiant d'organisation invalide.").toLowerCase().optional(),
});
export type NewDirectoryEntryBody = z.infer<typeof newDirectoryEntryBodySchema>;
export const newDirectoryContactBodySchema = directoryContactBodySchema.safeExtend({
  id: z.string().uuid("Identifiant de contact invalide.").toLowerCase().optional(),
});
export type NewDirectoryContactBody = z.infer<typeof newDirectoryContactBodySchema>;

export const directoryContactSchema = z.object({
  id: z.string(),
  name: z.string(),
  function: z.string(),
  email: z.string(),
  phone: z.string(),
  newsletterSubscribed: z.boolean(),
  /** When the direction archived the contact (only on an organisation's page; lists leave them out). */
  archivedAt: z.string().nullable(),
  /** When a mail server refused the address for good (a bounce): no newsletter until it changes. */
  emailBouncedAt: z.string().nullable(),
});
export type DirectoryContact = z.infer<typeof directoryContactSchema>;

export const directoryEntrySchema = z.object({
  id: z.string(),
  structureId: z.string(),
  name: z.string(),
  kind: directoryKindSchema,
  partnerId: z.string().nullable(),
  partnerName: z.string().nullable(),
  iaeKind: iaeKindSchema.nullable(),
  siret: z.string(),
  inPrison: z.boolean(),
  area: z.string(),
  services: z.array(directoryServiceSchema),
  address: z.string(),
  phone: z.string(),
  email: z.string(),
  website: z.string(),
  notes: z.string(),
  /** When the direction archived the organisation: still readable (past orientations, actions, conventions). */
  archivedAt: z.string().nullable(),
  contacts: z.array(directoryContactSchema),
});
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;

export const directoryListQuerySchema = z
  .object({
    q: optionalText(100).default(""),
    kind: directoryKindSchema.optional(),
    service: directoryServiceSchema.optional(),
    area: optionalText(100).default(""),
    /** Entries standing for (or the local office of) this catalogue partner: the orientation form. */
    partnerId: uuid.optional(),
    iaeKind: iaeKindSchema.optional(),
    /** The direction lists the archived organisations to restore them; for anybody else, ignored. */
    archived: z.enum(["no", "yes"]).default("no"),
  })
  .strict();
export type DirectoryListQuery = z.infer<typeof directoryListQuerySchema>;

export const directoryListSchema = z.object({
  entries: z.array(directoryEntrySchema),
  permissions: z.object({ edit: z.boolean() }),
});
export type DirectoryList = z.infer<typeof directoryListSchema>;

/** Archive (true) or restore (false) an organisation or a contact: the direction, after confirming. */
export const archiveBodySchema = z
  .object({ archived: z.boolean({ message: "Choisissez d'archiver ou de restaurer." }) })
  .strict();
export type ArchiveBody = z.infer<typeof archiveBodySchema>;
