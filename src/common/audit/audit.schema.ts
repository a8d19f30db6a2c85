import { z } from "zod";
import { uuid } from "../contract";
import { isoDate } from "../dates";
import { choice, queryWholeNumber } from "../fields";

export const auditFiltersSchema = z
  .object({
    /** Missing or malformed, the page sent none: the field says what to do (not « Identifiant invalide »). */
    structureId: choice("Choisissez une structure."),
    actorUserId: uuid.optional(),
    action: z.string().trim().max(80).optional(),
    targetId: z.string().trim().max(80).optional(),
    /** Rows about this person: their file, their convocations, orientations and démarches. */
    personId: uuid.optional(),
    outcome: z.enum(["success", "denied", "failure"]).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();
export type AuditFilters = z.infer<typeof auditFiltersSchema>;
const periodInOrder = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
const periodIssue = { message: "La date de fin doit suivre la date de début.", path: ["to"] };

export const auditQuerySchema = auditFiltersSchema
  .extend({ page: queryWholeNumber({ min: 1, max: 10_000 }).default(1) })
  .refine(periodInOrder, periodIssue);
export type AuditQuery = z.infer<typeof auditQuerySchema>;
export const auditExportQuerySchema = auditFiltersSchema.refine(periodInOrder, periodIssue);
/** The most rows one export holds; narrower filters (a person, a period) for more. */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;

export const auditEventViewSchema = z.object({
  id: z.number(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  /** Who the row is about, in words (a person of the structure, an agent), when there is a name. */
  subjectName: z.string().nullable(),
  outcome: z.enum(["success", "denied", "failure"]),
  reason: z.string(),
  requestId: z.string(),
  ip: z.string(),
});
export const auditPageSchema = z.object({
  events: z.array(auditEventViewSchema),
  page: z.number(),
  pageSize: z.number(),
  hasMore: z.boolean(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
