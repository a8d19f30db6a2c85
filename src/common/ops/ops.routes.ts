import { z } from "zod";
import { defineRoute } from "../contract";

/** What the probes answer: a status word and nothing else (no version, no figure, no data). */
export const healthSchema = z.object({ status: z.literal("ok") }).strict();
export const readinessSchema = z.object({ status: z.enum(["ready", "unavailable"]) }).strict();

/** Probes for the supervisor or the load balancer (ADR 0026): public, free of data. */
export const opsRoutes = {
  health: defineRoute({
    method: "GET",
    path: "/healthz",
    summary: "Le processus est en vie",
    access: "public",
    response: healthSchema,
  }),
  /** 200 `ready`, or 503 `unavailable` (database unreachable, migrations missing, a loop stopped). */
  ready: defineRoute({
    method: "GET",
    path: "/readyz",
    summary: "Le service peut recevoir des requêtes (base, migrations, tâches de fond)",
    access: "public",
    response: readinessSchema,
  }),
} as const;
