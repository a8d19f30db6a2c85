/**
 * The committee report's charts, drawn with pdfkit's vector primitives in the page's colours
 * (`chartColour`, by column): bars, stacked bars and lines. A hidden count (1 to 4) is a hatched bar
 * or a hollow point, drawn halfway as on the page and written "< 5" in the values that follow.
 */

import { monthNames } from "../../../common/dateFormat";
import { chartColumns } from "../../../common/reporting/chartColumns";
import { chartColour, type DashboardTable, formatValue } from "../../../common/reporting/reporting.schema";
import { ensureRoom, GREY, LEFT, notes, pdfText, WIDTH } from "./reportLayout";

/** Where a hidden count (1 to 4) is drawn, as on the page. */
const HIDDEN_AT = 2.5;
/** The bar chart's label column; a longer label wraps (three lines at most). */
const LABEL_WIDTH = 190;
const LABEL_MAX_HEIGHT = 33;
/** The line chart's plot: value axis, then the plot itself. */
const AXIS = 28;
const PLOT_HEIGHT = 150;
/** Height of a line chart with its month ticks and a line of legend. */
export const LINE_CHART_HEIGHT = PLOT_HEIGHT + 48;

/** A rectangle filled with diagonal stripes of `colour`: a hidden count's bar. */
function hatched(doc: PDFKit.PDFDocument, x: number, y: number, w: number, h: number, colour: string): void {
  doc.save();
  doc.rect(x, y, w, h).clip();
  doc.lineWidth(1).strokeColor(colour);
  for (let k = -h; k < w; k += 4)
    doc
      .moveTo(x + k, y + h)
      .lineTo(x + k + h, y)
      .stroke();
  doc.restore();
  doc.lineWidth(0.75).strokeColor(colour).rect(x, y, w, h).stroke().strokeColor("black");
}

/** The row label of a bar, wrapped within the label column: its height. */
function barLabelHeight(doc: PDFKit.PDFDocument, label: string, width: number): number {
  doc.font("Helvetica").fontSize(9);
  return Math.min(LABEL_MAX_HEIGHT, doc.heightOfString(pdfText(label), { width: width - 8 }));
}

function barLabel(doc: PDFKit.PDFDocument, label: string, y: number, width: number): void {
  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor("black")
    .text(pdfText(label), LEFT, y, { width: width - 8, height: LABEL_MAX_HEIGHT, ellipsis: true });
}

/** Horizontal bars of a table's first column, one per row (all of them, across pages if need be). */
export function barChart(doc: PDFKit.PDFDocument, table: DashboardTable): void {
  const kind = table.columns[0]?.kind ?? "count";
  const max = Math.max(1, ...table.rows.map((r) => r.values[0] ?? 0));
  const barSpace = WIDTH - LABEL_WIDTH - 50;
  const colour = chartColour(0);
  for (const row of table.rows) {
    const height = Math.max(10, barLabelHeight(doc, row.label, LABEL_WIDTH)) + 5;
    ensureRoom(doc, height, table.title);
    const y = doc.y;
    barLabel(doc, row.label, y, LABEL_WIDTH);
    const value = row.values[0] ?? null;
    const length = ((value ?? HIDDEN_AT) / max) * barSpace;
    if (value === null) hatched(doc, LEFT + LABEL_WIDTH, y, Math.max(length, 6), 10, colour);
    else if (length > 0) doc.rect(LEFT + LABEL_WIDTH, y, length, 10).fill(colour);
    doc
      .fillColor("black")
      .font(value === null ? "Helvetica-Bold" : "Helvetica")
      .fontSize(9)
      .text(pdfText(formatValue(value, kind)), LEFT + LABEL_WIDTH + Math.max(length, 6) + 4, y, {
        lineBreak: false,
      });
    doc.y = y + height;
  }
  if (table.rows.some((r) => r.values[0] === null))
    notes(doc, ["Barre hachurée : effectif de 1 à 4, masqué (« < 5 »)."]);
  doc.x = LEFT;
}

/** The columns a chart draws, as on the page: counts and hours, one colour each. */
export const drawnColumns = (table: DashboardTable): number[] => chartColumns(table).drawn;

/** A colour square and the label of each drawn column, wrapped to the width of the page. */
function legend(doc: PDFKit.PDFDocument, table: DashboardTable, columns: number[], top: number): void {
  let x = LEFT;
  let y = top;
  doc.font("Helvetica").fontSize(8);
  for (const column of columns) {
    const label = pdfText(table.columns[column]?.label ?? "");
    const width = 12 + doc.widthOfString(label);
    if (x > LEFT && x + width > LEFT + WIDTH) {
      x = LEFT;
      y += 12;
    }
    doc.rect(x, y, 8, 8).fill(chartColour(column));
    doc.fillColor("black").text(label, x + 12, y, { lineBreak: false });
    x += width + 12;
  }
  doc.x = LEFT;
  doc.y = y + 14;
}

/** The legend, then one horizontal bar per row, its drawn columns stacked in their colours. */
export function stackedChart(doc: PDFKit.PDFDocument, table: DashboardTable): void {
  const columns = drawnColumns(table);
  const totals = table.rows.map((r) => columns.reduce((s, i) => s + (r.values[i] ?? HIDDEN_AT), 0));
  const max = Math.max(1, ...totals);
  doc.font("Helvetica").fontSize(9);
  const labelWidth = Math.min(
    LABEL_WIDTH,
    8 + Math.max(...table.rows.map((r) => doc.widthOfString(r.label))),
  );
  const barSpace = WIDTH - labelWidth - 10;
  legend(doc, table, columns, doc.y);
  doc.y += 2;
  for (const row of table.rows) {
    const height = Math.max(10, barLabelHeight(doc, row.label, labelWidth)) + 5;
    ensureRoom(doc, height, table.title);
    const y = doc.y;
    barLabel(doc, row.label, y, labelWidth);
    let x = LEFT + labelWidth;
    for (const column of columns) {
      const value = row.values[column] ?? null;
      const length = ((value ?? HIDDEN_AT) / max) * barSpace;
      if (value === null) hatched(doc, x, y, length, 10, chartColour(column));
      else if (length > 0) doc.rect(x, y, length, 10).fill(chartColour(column));
      x += length;
    }
    doc.y = y + height;
  }
  if (table.rows.some((r) => columns.some((i) => r.values[i] === null)))
    notes(doc, ["Barre hachurée : effectif de 1 à 4, masqué (« < 5 »)."]);
  doc.fillColor("black").strokeColor("black");
}

/** A step giving 4 to 6 gridlines up to `max`: 1, 2, 5, 10, 20, 50… */
function niceStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? power * 10;
}

const shortMonth = new Intl.DateTimeFormat("fr-FR", { month: "short", year: "2-digit", timeZone: "UTC" });

/** "avril 2026" → "avr. 26" (the month label of the dashboard's rows). */
function monthTick(label: string): string {
  const [name, year] = label.split(" ");
  const index = (monthNames as readonly string[]).indexOf(name ?? "");
  if (index < 0 || !year) return label;
  return shortMonth.format(new Date(Date.UTC(Number(year), index, 15)));
}

/**
 * A line per series of a month-by-month table, with its value axis, months and legend; hidden counts
 * as hollow points. The caller keeps `LINE_CHART_HEIGHT` points free for it.
 */
export function lineChart(doc: PDFKit.PDFDocument, table: DashboardTable, series: number[]): void {
  const left = LEFT + AXIS;
  const width = WIDTH - AXIS;
  const top = doc.y + 8;
  const top_ = Math.max(1, ...table.rows.flatMap((r) => series.map((i) => r.values[i] ?? HIDDEN_AT)));
  const step = niceStep(top_);
  const max = Math.ceil(top_ / step) * step;
  const y = (value: number) => top + PLOT_HEIGHT - (value / max) * PLOT_HEIGHT;
  doc.font("Helvetica").fontSize(7.5).fillColor(GREY);
  for (let v = 0; v <= max; v += step) {
    doc.lineWidth(0.4).strokeColor(v === 0 ? "#929292" : "#dddddd");
    doc
      .moveTo(left, y(v))
      .lineTo(left + width, y(v))
      .stroke();
    doc.text(pdfText(formatValue(v, "count")), LEFT, y(v) - 3.5, { width: AXIS - 4, align: "right" });
  }
  const n = table.rows.length;
  const x = (i: number) => (n > 1 ? left + (i * width) / (n - 1) : left + width / 2);
  // At most 12 months named, counted back from the last one (two names never overlap).
  const every = Math.ceil(n / 12);
  table.rows.forEach((row, i) => {
    if ((n - 1 - i) % every !== 0) return;
    doc.text(pdfText(monthTick(row.label)), x(i) - 20, top + PLOT_HEIGHT + 4, { width: 40, align: "center" });
  });
  let anyHidden = false;
  for (const column of series) {
    const colour = chartColour(column);
    doc.lineWidth(1.5).strokeColor(colour);
    table.rows.forEach((row, i) => {
      const value = row.values[column] ?? HIDDEN_AT;
      if (i === 0) doc.moveTo(x(i), y(value));
      else doc.lineTo(x(i), y(value));
    });
    doc.stroke();
    table.rows.forEach((row, i) => {
      const hidden = row.values[column] === null;
      anyHidden ||= hidden;
      const point = doc.circle(x(i), y(row.values[column] ?? HIDDEN_AT), hidden ? 3 : 1.8);
      if (hidden) point.lineWidth(1).fillAndStroke("#ffffff", colour);
      else point.fill(colour);
    });
  }
  legend(doc, table, series, top + PLOT_HEIGHT + 18);
  if (anyHidden) notes(doc, ["Point creux : effectif de 1 à 4, masqué (« < 5 »)."]);
  doc.strokeColor("black").fillColor("black");
}
