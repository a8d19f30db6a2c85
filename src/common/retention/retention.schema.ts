import { z } from "zod";
import { wholeNumber } from "../fields";
import "../zod-fr";

/** National defaults and the bounds a structure may choose within (ADR 0024). */
export const retentionBounds = {
  archiveAfterMonths: { min: 6, max: 36, default: 12 },
  eraseAfterMonths: { min: 1, max: 24, default: 6 },
  journalMonths: { min: 6, max: 36, default: 12 },
  messageMonths: { min: 1, max: 12, default: 3 },
} as const;
/** Sessions and sign-in attempts: national, not a structure's choice. */
export const SESSION_RETENTION_DAYS = 30;

type BoundKey = keyof typeof retentionBounds;
const months = (key: BoundKey) => {
  const { min, max } = retentionBounds[key];
  return wholeNumber({
    notNumber: "Saisissez un nombre de mois.",
    notWhole: "Saisissez un nombre entier de mois.",
    min,
    tooSmall: `Saisissez ${min} mois au moins.`,
    max,
    tooBig: `Saisissez ${max} mois au plus.`,
  });
};

export const retentionSettingsSchema = z
  .object({
    archiveAfterMonths: months("archiveAfterMonths"),
    eraseAfterMonths: months("eraseAfterMonths"),
    journalMonths: months("journalMonths"),
    messageMonths: months("messageMonths"),
  })
  .strict();
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

export const defaultRetentionSettings: RetentionSettings = {
  archiveAfterMonths: retentionBounds.archiveAfterMonths.default,
  eraseAfterMonths: retentionBounds.eraseAfterMonths.default,
  journalMonths: retentionBounds.journalMonths.default,
  messageMonths: retentionBounds.messageMonths.default,
};

const fileSchema = z.object({
  id: z.string(),
  fileNumber: z.number().int(),
  name: z.string(),
  /** End of the latest measure, if any. */
  lastMeasureEnd: z.string().nullable(),
  /** The last thing that happened on the file (measure end, convocation, visit, démarche, note...). */
  lastActivityAt: z.string(),
});

export const archiveCandidateSchema = fileSchema;
export const archivedFileSchema = fileSchema.extend({
  archivedAt: z.string(),
  /** When its personal data will be erased (the run after that day). */
  eraseFrom: z.string(),
});
export type ArchivedFile = z.infer<typeof archivedFileSchema>;

/** What a run did (or, in a simulation, would do): counts only, never names. */
export const retentionCountsSchema = z.object({
  archived: z.number().int(),
  erased: z.number().int(),
  journalRows: z.number().int(),
  messages: z.number().int(),
  sessions: z.number().int(),
  signInAttempts: z.number().int(),
  /** People whose erasure failed (each in its own transaction): retried at the next run. */
  failed: z.number().int(),
});
export type RetentionCounts = z.infer<typeof retentionCountsSchema>;

export const retentionPreviewSchema = z.object({
  settings: retentionSettingsSchema,
  defaults: retentionSettingsSchema,
  sessionDays: z.number().int(),
  /** The next run: what it would do now (a simulation of it). */
  next: retentionCountsSchema,
  toArchive: z.array(archiveCandidateSchema),
  /** Every archived file of the structure, the ones due for erasure first. */
  archived: z.array(archivedFileSchema),
  lastRun: z.object({ at: z.string(), result: z.string() }).nullable(),
  nextRunAt: z.string().nullable(),
});
export type RetentionPreview = z.infer<typeof retentionPreviewSchema>;

export const retentionRunBodySchema = z.object({ dryRun: z.boolean() }).strict();
export const retentionRunResultSchema = z.object({ dryRun: z.boolean(), counts: retentionCountsSchema });
export type RetentionRunResult = z.infer<typeof retentionRunResultSchema>;
