import { chartColumns } from "../../../common/reporting/chartColumns";
import type { DashboardTable } from "../../../common/reporting/reporting.schema";

/**
 * A horizontal bar's label, cut with "…" when it would take more than two fifths of the chart's
 * width (a phone): Chart.js would otherwise push it past the canvas's left edge. The full label is in
 * the tooltip and in the table that follows the chart.
 */
export function shortenedLabel(label: string, chartWidth: number): string {
  const max = Math.max(12, Math.floor((chartWidth * 0.4) / 6.5));
  return label.length > max ? `${label.slice(0, max - 1).trimEnd()}…` : label;
}

/**
 * The chart's height: a line chart's is fixed; a bar chart gives each row room for its bars side by
 * side, each with its "< 5" label written next to it (11 px high, 16 px apart) — three bars in the 28 px of one
 * made their labels overlap into an unreadable stack.
 */
export function chartHeight(table: DashboardTable): number {
  if (table.chart === "line") return 280;
  const bars = table.chart === "stacked" ? 1 : chartColumns(table).drawn.length;
  const legend = chartColumns(table).drawn.length > 1 ? 40 : 0;
  return Math.max(160, 40 + legend + table.rows.length * Math.max(28, 16 * bars));
}

/** A structure's name without the "France services" that every structure's name starts with. */
export const shortStructureName = (name: string): string => name.replace(/^France services\s+/i, "") || name;

/** Whether a table's chart draws a hidden count (then the page says how it looks). */
export const hasHiddenCount = (table: DashboardTable): boolean =>
  table.rows.some((r) => r.values.some((v, i) => v === null && table.columns[i]?.kind === "count"));
