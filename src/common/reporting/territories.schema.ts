import { z } from "zod";
import { dashboardTableSchema } from "./reporting.schema";

/** The structures a steering user reads, side by side for the period (one row per structure). */
export const territoriesSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  /** True when counts between 1 and 4 are hidden (the same rule as the dashboard). */
  protectedCounts: z.boolean(),
  table: dashboardTableSchema,
});
export type Territories = z.infer<typeof territoriesSchema>;
