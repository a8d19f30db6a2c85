import { z } from "zod";
import { uuid } from "../contract";
import { wholeNumber } from "../fields";

/** What a file column can be mapped to. `sourceNumber` makes a second import of the same file change nothing. */
export const importFields = [
  "sourceNumber",
  "lastName",
  "firstName",
  "birthDate",
  "phone",
  "email",
  "measureType",
  "measureStart",
  "measureEnd",
  "referent",
  "detentionSite",
  "prisonNumber",
  "expectedReleaseDate",
  "releaseKind",
] as const;
export type ImportField = (typeof importFields)[number];
export const requiredImportFields: readonly ImportField[] = [
  "sourceNumber",
  "lastName",
  "firstName",
  "birthDate",
];
export const importFieldLabels: Record<ImportField, string> = {
  sourceNumber: "Numéro de dossier (application d'origine)",
  lastName: "Nom",
  firstName: "Prénom",
  birthDate: "Date de naissance",
  phone: "Téléphone",
  email: "Adresse électronique",
  measureType: "Type de mesure",
  measureStart: "Début de la mesure",
  measureEnd: "Fin de la mesure",
  referent: "CPIP référent (adresse électronique ou nom)",
  detentionSite: "Établissement (prison ou SAS de la structure)",
  prisonNumber: "Numéro d'écrou",
  expectedReleaseDate: "Date de libération prévue",
  releaseKind: "Type de sortie",
};

/** Milieu fermé columns (ADR 0028): optional; the establishment is required once any is filled. */
export const detentionImportFields: readonly ImportField[] = [
  "detentionSite",
  "prisonNumber",
  "expectedReleaseDate",
  "releaseKind",
];

/** Field → the file's column header ("" when not in the file). */
export type ImportMapping = Record<ImportField, string>;
const column = z.string().trim().max(200, "200 caractères au plus.").default("");
export const importMappingSchema = z
  .strictObject(
    Object.fromEntries(importFields.map((f) => [f, column])) as Record<ImportField, typeof column>,
  )
  .superRefine((mapping, ctx) => {
    for (const field of requiredImportFields) {
      if (mapping[field] === "")
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `Choisissez la colonne « ${importFieldLabels[field]} ».`,
        });
    }
    const used = importFields.map((f) => mapping[f]).filter((c) => c !== "");
    for (const field of importFields) {
      if (mapping[field] !== "" && used.filter((c) => c === mapping[field]).length > 1)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: "Cette colonne est déjà choisie pour un autre champ.",
        });
    }
  });

export const importDecisions = ["skip", "merge", "create"] as const;
export type ImportDecision = (typeof importDecisions)[number];
export const importDecisionLabels: Record<ImportDecision, string> = {
  skip: "Ignorer la ligne",
  merge: "Compléter le dossier existant",
  create: "Créer un nouveau dossier",
};

export const importOutcomes = ["created", "merged", "skipped", "unchanged", "error"] as const;
export type ImportOutcome = (typeof importOutcomes)[number];
export const importOutcomeLabels: Record<ImportOutcome, string> = {
  created: "créé",
  merged: "complété",
  skipped: "ignoré",
  unchanged: "déjà importé",
  error: "erreur",
};

export const importCountsSchema = z.object({
  created: z.number().int(),
  merged: z.number().int(),
  skipped: z.number().int(),
  unchanged: z.number().int(),
  errors: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCountsSchema>;

export const structureParamsSchema = z.object({ structureId: uuid });
export const importParamsSchema = z.object({ importId: uuid });

/** After the upload: the file's columns, a few rows, and the mapping proposed. */
export const uploadedImportSchema = z.object({
  importId: z.string(),
  fileName: z.string(),
  rowCount: z.number().int(),
  headers: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  mapping: z.record(z.string(), z.string()),
  /** saved: the structure's last mapping; guessed: from the column names. */
  mappingOrigin: z.enum(["saved", "guessed"]),
  /** The importing agent is not a CPIP who may be a referent: the « CPIP référent » column is required. */
  referentRequired: z.boolean(),
});
export type UploadedImport = z.infer<typeof uploadedImportSchema>;

export const previewBodySchema = z.object({ mapping: importMappingSchema });

const rowIssueSchema = z.object({ line: z.number().int(), field: z.string(), message: z.string() });
export type RowIssue = z.infer<typeof rowIssueSchema>;

export const importPreviewSchema = z.object({
  rowCount: z.number().int(),
  validCount: z.number().int(),
  errorCount: z.number().int(),
  /** Rows whose source number is already in the structure: left unchanged. */
  alreadyImportedCount: z.number().int(),
  /** The first rows as they will be read. */
  rows: z.array(
    z.object({
      line: z.number().int(),
      values: z.record(z.string(), z.string()),
      errors: z.array(z.object({ field: z.string(), message: z.string() })),
    }),
  ),
  /** Every row's errors (the first 1,000), with its line number. */
  issues: z.array(rowIssueSchema),
  /** Rows matching an existing person on name and birth date. */
  duplicates: z.array(
    z.object({
      line: z.number().int(),
      fileName: z.string(),
      birthDate: z.string(),
      /** null when the existing file is one the agent may not see (then: skip or create only). */
      existing: z.object({ id: z.string(), name: z.string(), fileNumber: z.number().int() }).nullable(),
    }),
  ),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const runBodySchema = z.object({
  /** What to do with a duplicate row that has no choice of its own. */
  duplicates: z.enum(importDecisions),
  choices: z
    .array(z.object({ line: wholeNumber({ min: 1 }), decision: z.enum(importDecisions) }))
    .max(20_000)
    .default([]),
});
export type RunBody = z.infer<typeof runBodySchema>;

export const importProgressSchema = z.object({
  processed: z.number().int(),
  rowCount: z.number().int(),
  done: z.boolean(),
  counts: importCountsSchema,
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

export const importSummarySchema = importProgressSchema.extend({
  fileName: z.string(),
  /** Lines not imported, with why (the first 1,000; the CSV report has them all). */
  errors: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;
