import { z } from "zod";
import { uuid } from "../contract";
import { isoDate } from "../dates";

export const auditQuerySchema = z.object({
  structureId: uuid,
  actorUserId: uuid.optional(),
  action: z.string().trim().max(80).optional(),
  targetId: z.string().trim().max(80).optional(),
  outcome: z.enum(["success", "denied", "failure"]).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventViewSchema = z.object({
  id: z.number(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
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
