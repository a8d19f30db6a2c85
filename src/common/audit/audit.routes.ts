import { defineRoute } from "../contract";
import { auditPageSchema, auditQuerySchema } from "./audit.schema";

export const auditRoutes = {
  list: defineRoute({
    method: "GET",
    path: "/api/audit",
    summary: "Le journal des accès et des actions d'une structure (direction de service)",
    query: auditQuerySchema,
    response: auditPageSchema,
  }),
} as const;
