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
 * A legend item's text, on one line within the chart's width less its colour box: cut with "…" on a
 * phone, where « Tenues – Centre pénitentiaire de Meaux-Chauconin (hors label) » and the like ran past
 * the canvas's edges. The tooltip and the table's header keep the whole label.
 */
export function legendLabel(label: string, chartWidth: number): string {
  const max = Math.max(12, Math.floor((chartWidth - 70) / 6.5));
  return label.length > max ? `${label.slice(0, max - 1).trimEnd()}…` : label;
}

/**
 * The most lines a bar's label is wrapped on. On a phone a line holds 22 characters: « Total des lieux
 * ouverts au public (seuil de 24 h atteint) » takes four, a prison's « Centre pénitentiaire de
 * Meaux-Chauconin (hors accueil du public, non compté pour le label) » five — with three, the first was
 * cut before its verdict and the second read « hors accueil du… ».
 */
export const MAX_LABEL_LINES = 5;

/**
 * A horizontal bar's label on lines of at most two fifths of the chart's width, cut between words
 * (a word longer than a line is cut with "…" as `shortenedLabel` does), at most `MAX_LABEL_LINES`,
 * the last one ending in "…" when more was left: on a phone « Total de la structure, tous lieux (seuil
 * de 24 h non atteint) » is read whole rather than « Total de la structure… ». The full label is also in
 * the tooltip and in the table that follows the chart.
 */
export function wrappedLabel(label: string, chartWidth: number): string[] {
  const max = Math.max(12, Math.floor((chartWidth * 0.4) / 6.5));
  if (label.length <= max) return [label];
  const lines: string[] = [];
  let line = "";
  for (const word of label.split(/\s+/)) {
    if (line && `${line} ${word}`.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  const shown = lines.slice(0, MAX_LABEL_LINES).map((l) => shortenedLabel(l, chartWidth));
  if (lines.length > MAX_LABEL_LINES) {
    const last = shown[MAX_LABEL_LINES - 1] ?? "";
    shown[MAX_LABEL_LINES - 1] = last.endsWith("…") ? last : `${last.slice(0, max - 1).trimEnd()}…`;
  }
  return shown;
}

/** The chart's width on a phone (390 px less the page's margins): row heights leave room for its lines. */
const PHONE_CHART_WIDTH = 358;

/**
 * The chart's height: a line chart's is fixed; a bar chart gives each row room for its bars side by
 * side, each with its "< 5" label written next to it (11 px high, 16 px apart) — three bars in the 28 px of one
 * made their labels overlap into an unreadable stack.
 */
export function chartHeight(table: DashboardTable): number {
  // A line chart's legend is under it, an item a line on a phone: it takes its room from the drawing
  // (five items left 50 px of curves at 390 px) unless the chart grows by as many lines.
  if (table.chart === "line") {
    const items = chartColumns(table).drawn.length;
    return 280 + (items > 1 ? 20 * items : 0);
  }
  const bars = table.chart === "stacked" ? 1 : chartColumns(table).drawn.length;
  const legend = chartColumns(table).drawn.length > 1 ? 40 : 0;
  // A label wrapped on a phone takes 15 px a line. The chart gives every row the same height: the
  // rows grow to the longest label's lines, or a five-line label overlaps its neighbours'.
  const lines = Math.max(1, ...table.rows.map((row) => wrappedLabel(row.label, PHONE_CHART_WIDTH).length));
  const rows = table.rows.length * Math.max(28, 16 * bars, 15 * lines);
  return Math.max(160, 40 + legend + rows);
}

/** Whether every column a table's chart draws is a count: its value axis then has whole ticks only. */
export const countsOnly = (table: DashboardTable): boolean =>
  chartColumns(table).drawn.every((i) => table.columns[i]?.kind === "count");

/** Whether a table's chart draws a hidden count (then the page says how it looks). */
export const hasHiddenCount = (table: DashboardTable): boolean =>
  table.rows.some((r) => r.values.some((v, i) => v === null && table.columns[i]?.kind === "count"));

/** A piece of a horizontal bar, in pixels along the value axis; `hidden`: a count of 1 to 4. */
export interface BarPiece {
  start: number;
  end: number;
  hidden: boolean;
}

/** Where "< 5" is written for a hidden piece: its left edge, and whether it sits inside the piece. */
export interface HiddenLabelPlace {
  x: number;
  inside: boolean;
}

const LABEL_PADDING = 3;
const LABEL_GAP = 4;
/** The bar's height that holds the 11 px text and its white backing. */
const LABEL_THICKNESS = 16;

/**
 * Where to write "< 5" on one horizontal bar (its pieces left to right: one for plain bars, one per
 * column for stacked ones), as wide as `textWidth`, the chart ending at `right`: inside a hidden
 * piece long enough, on a bar `thickness` pixels high enough to hold the text (16); else just after
 * it when it ends the bar (nothing drawn to its right); else nowhere — a label there would cover the
 * next piece or another "< 5", and the figure stays in the tooltip and in the table under the chart.
 * Labels never overlap each other nor pass `right`.
 */
export function hiddenLabelPlaces(
  pieces: readonly BarPiece[],
  textWidth: number,
  right: number,
  thickness: number,
): (HiddenLabelPlace | null)[] {
  const barEnd = Math.max(...pieces.map((p) => Math.max(p.start, p.end)));
  let taken = Number.NEGATIVE_INFINITY;
  return pieces.map((piece) => {
    if (!piece.hidden) return null;
    const [from, to] = piece.start <= piece.end ? [piece.start, piece.end] : [piece.end, piece.start];
    const place =
      thickness >= LABEL_THICKNESS && to - from >= textWidth + 2 * LABEL_PADDING
        ? { x: (from + to - textWidth) / 2, inside: true }
        : to >= barEnd && to + LABEL_GAP + textWidth <= right
          ? { x: to + LABEL_GAP, inside: false }
          : null;
    if (place === null || place.x < taken) return null;
    taken = place.x + textWidth + LABEL_GAP;
    return place;
  });
}
