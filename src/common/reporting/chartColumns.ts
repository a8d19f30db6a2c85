import { frenchList } from "../frenchList";
import { chartColours, type DashboardTable } from "./reporting.schema";

/**
 * The columns a table's chart draws, on the page and in the report: its counts and hours, as many as
 * there are distinct colours. Those left out (a structure with many sites) are named, so that the
 * chart says they are in the table under it rather than leaving a site out without a word.
 */
export function chartColumns(table: DashboardTable): { drawn: number[]; leftOut: string[] } {
  const all = table.columns
    .map((c, index) => ({ ...c, index }))
    .filter((c) => c.kind === "count" || c.kind === "hours");
  return {
    drawn: all.slice(0, chartColours.length).map((c) => c.index),
    leftOut: all.slice(chartColours.length).map((c) => c.label),
  };
}

/** "Non tracées, pour rester lisibles : … (voir le tableau)." — or null when every column is drawn. */
export function leftOutNote(leftOut: string[]): string | null {
  if (leftOut.length === 0) return null;
  const which = frenchList(leftOut.map((label) => `« ${label} »`));
  return leftOut.length === 1
    ? `La colonne ${which} n'est pas tracée, pour que le graphique reste lisible : ses chiffres sont dans le tableau.`
    : `Les colonnes ${which} ne sont pas tracées, pour que le graphique reste lisible : leurs chiffres sont dans le tableau.`;
}

/**
 * Nothing to draw: no row, or every value 0 (or a ratio with nothing to rest on). A hidden count
 * ("< 5") is something. Said « Aucune donnée sur la période. » instead of a chart of empty axes, on
 * the page as in the committee report.
 */
export function isEmptyTable(table: DashboardTable): boolean {
  return table.rows.every((row) =>
    row.values.every((value, i) => value === 0 || (value === null && table.columns[i]?.kind !== "count")),
  );
}
