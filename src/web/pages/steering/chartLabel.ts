/**
 * A horizontal bar's label, cut with "…" when it would take more than two fifths of the chart's
 * width (a phone): Chart.js would otherwise push it past the canvas's left edge. The full label is in
 * the tooltip and in the table that follows the chart.
 */
export function shortenedLabel(label: string, chartWidth: number): string {
  const max = Math.max(12, Math.floor((chartWidth * 0.4) / 6.5));
  return label.length > max ? `${label.slice(0, max - 1).trimEnd()}…` : label;
}
