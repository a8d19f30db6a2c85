import { z } from "zod";
import { uuid } from "../contract";
import { formatHours } from "../dateFormat";
import { isoMonth } from "../dates";
import { formatEuros } from "../money";
import { formatNumber } from "../numberFormat";
import {
  narrowingFilters,
  type SectionId,
  sectionFilterRefusal,
  sectionFilters,
  sectionIds,
  tableIds,
} from "./definitions";

/** Longest period the dashboard, exports and report accept (5 years). */
export const MAX_PERIOD_MONTHS = 60;
/** Days a nominative export may be kept before it must be deleted. */
export const NOMINATIVE_EXPORT_RETENTION_DAYS = 30;

const month = isoMonth;

export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = to.split("-").map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

const filterFields = {
  from: month,
  to: month,
  structureId: uuid.optional(),
  siteId: uuid.optional(),
  partnerId: uuid.optional(),
  counselorId: uuid.optional(),
};

function checkPeriod(value: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const months = monthsBetween(value.from, value.to);
  if (months < 1)
    ctx.addIssue({ code: "custom", path: ["to"], message: "La fin de la période précède son début." });
  if (months > MAX_PERIOD_MONTHS)
    ctx.addIssue({ code: "custom", path: ["to"], message: "La période ne peut dépasser 5 ans." });
}

/** Dashboard filters; unknown keys are refused (400), months are whole calendar months, Europe/Paris. */
export const dashboardFiltersSchema = z.strictObject(filterFields).superRefine(checkPeriod);
export type DashboardFilters = z.infer<typeof dashboardFiltersSchema>;

/**
 * A dashboard section's route (milieu fermé, transfers, collective actions, fundings): the dashboard's
 * filters, and a filter that does not narrow the section's figures refused (400, naming it), as the
 * activity export refuses a `table`, rather than answered unfiltered under it.
 */
export function sectionQuerySchema(id: SectionId) {
  return z.strictObject(filterFields).superRefine((value, ctx) => {
    checkPeriod(value, ctx);
    for (const filter of narrowingFilters)
      if (value[filter] !== undefined && !sectionFilters[id].includes(filter))
        ctx.addIssue({ code: "custom", path: [filter], message: sectionFilterRefusal(id, filter) });
  });
}

export const exportFormats = ["csv", "xlsx"] as const;
/** What the tables export accepts: every table, one table of the dashboard, or one of its sections. */
export const exportTables = ["all", ...tableIds, ...sectionIds] as const;
export type ExportTable = (typeof exportTables)[number];
export const exportQuerySchema = z
  .strictObject({
    ...filterFields,
    format: z.enum(exportFormats),
    table: z.enum(exportTables).default("all"),
  })
  .superRefine(checkPeriod);
export type ExportQuery = z.infer<typeof exportQuerySchema>;
/** The France services activity export has no tables to choose: a `table` is refused (400), not ignored. */
export const activityQuerySchema = z
  .strictObject({ ...filterFields, format: z.enum(exportFormats) })
  .superRefine(checkPeriod);
export type ActivityQuery = z.infer<typeof activityQuerySchema>;

export const nominativeKinds = ["people", "demarches"] as const;
export const nominativeKindSchema = z.enum(nominativeKinds);
export type NominativeKind = z.infer<typeof nominativeKindSchema>;
export const nominativeQuerySchema = z
  .strictObject({ ...filterFields, kind: nominativeKindSchema })
  .superRefine(checkPeriod);
export const nominativeExportQuerySchema = z
  .strictObject({ ...filterFields, kind: nominativeKindSchema, format: z.enum(exportFormats) })
  .superRefine(checkPeriod);
export type NominativeQuery = z.infer<typeof nominativeQuerySchema>;

/** A shown number: null means hidden, "< 5" for a count, "non significatif" for a rate. */
export const shownNumberSchema = z.number().nullable();
/** `euros`: an amount in whole euros (fundings, ADR 0039), never a count of people, never protected. */
export const valueKinds = ["count", "percent", "days", "hours", "decimal", "minutes", "euros"] as const;
export type ValueKind = (typeof valueKinds)[number];

/** The filters (site, partner, counselor) that narrow a figure, a table or one of its columns. */
const appliedFiltersSchema = z.array(z.enum(narrowingFilters));
export const figureSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(valueKinds),
  value: shownNumberSchema,
  /** What it counts, in French (`definitions.ts`); empty when not written yet. */
  definition: z.string(),
  filters: appliedFiltersSchema,
});
export type Figure = z.infer<typeof figureSchema>;

export const chartKinds = ["bar", "stacked", "line"] as const;
export const dashboardTableSchema = z.object({
  id: z.string(),
  title: z.string(),
  chart: z.enum(chartKinds),
  columns: z.array(
    z.object({ label: z.string(), kind: z.enum(valueKinds), filters: appliedFiltersSchema.optional() }),
  ),
  rows: z.array(z.object({ label: z.string(), values: z.array(shownNumberSchema) })),
  definition: z.string(),
  filters: appliedFiltersSchema,
});
export type DashboardTable = z.infer<typeof dashboardTableSchema>;

const option = z.object({ id: z.string(), name: z.string() });
export const dashboardSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  /** True when counts between 1 and 4 are hidden (steering, or a structure the user does not direct). */
  protectedCounts: z.boolean(),
  /** True when the user may open nominative lists (service managers of every selected structure). */
  mayDrillDown: z.boolean(),
  options: z.object({
    structures: z.array(option),
    sites: z.array(option.extend({ structureId: z.string() })),
    partners: z.array(option),
    counselors: z.array(option),
  }),
  figures: z.array(figureSchema),
  tables: z.array(dashboardTableSchema),
  summary: z.array(z.string()),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

/**
 * What the dashboard's filters may choose, over every structure the reader may see: the page narrows
 * the sites and counselors to the structure chosen in the form, before asking for any figure.
 */
export const filterChoicesSchema = z.object({
  structures: z.array(option),
  sites: z.array(option.extend({ structureId: z.string() })),
  partners: z.array(option),
  /** One row per counselor and structure (a counselor of two structures is listed under each). */
  counselors: z.array(option.extend({ structureId: z.string() })),
});
export type FilterChoices = z.infer<typeof filterChoicesSchema>;

export const nominativeListSchema = z.object({
  kind: nominativeKindSchema,
  total: z.number().int(),
  columns: z.array(z.string()),
  rows: z.array(z.object({ personId: z.string(), cells: z.array(z.string()) })),
  /** The list shows at most this many rows; the export has them all. */
  truncated: z.boolean(),
});
export type NominativeList = z.infer<typeof nominativeListSchema>;

/** Chart colours of the page and the report, by column (DSFR illustrative colours, blue France first). */
export const chartColours = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#a558a0"] as const;
export const chartColour = (column: number): string =>
  chartColours[column % chartColours.length] ?? "#000091";

/** A shown value in words: "< 5" for a hidden count, "non significatif" for a hidden ratio. */
export function formatValue(value: number | null, kind: ValueKind): string {
  if (value === null) return kind === "count" ? "< 5" : "non significatif";
  const text = formatNumber(value);
  switch (kind) {
    case "count":
    case "decimal":
      return text;
    case "percent":
      return `${text} %`;
    case "days":
      return `${text} j`;
    case "hours":
      // Hours and minutes, as the permanences page and the rest of the app write them.
      return formatHours(value * 60);
    case "minutes":
      return `${text} min`;
    case "euros":
      return formatEuros(value);
  }
}
