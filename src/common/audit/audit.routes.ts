import { z } from "zod";
import { defineRoute } from "../contract";
import { staffAnd } from "../roles";
import { auditExportQuerySchema, auditPageSchema, auditQuerySchema } from "./audit.schema";

export const auditRoutes = {
  list: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/audit",
    summary: "Le journal des accès et des actions d'une structure (direction de service)",
    query: auditQuerySchema,
    response: auditPageSchema,
    // Filtered by a person, the lookup is itself journaled (the person is named in the input).
    nominative: {},
  }),
  export: defineRoute({
    onlyRoles: staffAnd(),
    method: "GET",
    path: "/api/audit/export",
    summary: "Export CSV du journal filtré (direction de service, journalisé)",
    query: auditExportQuerySchema,
    response: z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array),
    produces: "application/octet-stream",
    longExport: true,
    nominative: {},
  }),
} as const;
