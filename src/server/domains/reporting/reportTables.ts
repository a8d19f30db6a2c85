/**
 * The committee report's table of a dashboard table's values: a row per row, every column, each
 * value as the page writes it (`formatValue`: "< 5" and "non significatif" when protected). Columns
 * that do not fit the width of the page go to a second table with the same rows; a table that runs
 * onto the next page repeats its title and header there.
 */
import { type DashboardTable, formatValue } from "../../../common/reporting/reporting.schema";
import { ensureRoom, LEFT, pdfText, RULE, WIDTH } from "./reportLayout";

const SIZE = 8.5;
const HEADER_SIZE = 8;
const PAD = 3;
/** A value column is 58 to 95 points wide ("non significatif" wraps under 64), wider if a word needs it. */
const MIN_COLUMN = 58;
const MAX_COLUMN = 95;
/** A table up to this height (a year of months) is kept on one page; a longer one keeps its header and two rows together. */
const KEEP_TOGETHER = 240;
/** The row labels' column: as wide as its longest label, from 60 to 200 points (90 when columns need the room). */
const MIN_LABEL = 60;
const SHARED_LABEL = 90;
const MAX_LABEL = 200;

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** The width of the longest word of `text` (a column narrower than that would cut it). */
const longestWord = (doc: PDFKit.PDFDocument, text: string): number =>
  Math.max(
    0,
    ...pdfText(text)
      .split(/[ -]+/)
      .map((word) => doc.widthOfString(word)),
  );

/** Every column of `table` under its chart, in as many tables of the same rows as the width needs. */
export function valuesTable(doc: PDFKit.PDFDocument, table: DashboardTable): void {
  doc.font("Helvetica").fontSize(SIZE);
  const natural = Math.max(0, ...table.rows.map((r) => doc.widthOfString(pdfText(r.label)))) + 2 * PAD;
  const labelFloor = clamp(natural, MIN_LABEL, SHARED_LABEL);
  const values = table.rows.flatMap((r) =>
    r.values.map((v, i) => formatValue(v, table.columns[i]?.kind ?? "count")),
  );
  const widestValue = Math.max(0, ...values.map((v) => longestWord(doc, v)));
  doc.font("Helvetica-Bold").fontSize(HEADER_SIZE);
  const widestHeader = Math.max(0, ...table.columns.map((c) => longestWord(doc, c.label)));
  const narrowest = Math.max(MIN_COLUMN, widestValue + 2 * PAD + 1, widestHeader + 2 * PAD + 1);
  const perTable = Math.max(1, Math.floor((WIDTH - labelFloor) / narrowest));
  const indexes = table.columns.map((_, i) => i);
  const parts = Math.ceil(indexes.length / perTable);
  const size = Math.ceil(indexes.length / parts);
  for (let part = 0; part < parts; part++) {
    const columns = indexes.slice(part * size, (part + 1) * size);
    // The labels as wide as they need when the columns still fit, else as narrow as agreed.
    const wide = Math.min(natural, MAX_LABEL);
    const floor = (WIDTH - wide) / columns.length >= narrowest ? wide : labelFloor;
    const column = Math.min(Math.max(MAX_COLUMN, narrowest), (WIDTH - floor) / columns.length);
    const label = Math.min(WIDTH - columns.length * column, Math.max(natural, floor), MAX_LABEL);
    columnsTable(doc, table, columns, label, column);
  }
}

/** One table of `columns`: a header, then a row per row, each value right-aligned in its column. */
function columnsTable(
  doc: PDFKit.PDFDocument,
  table: DashboardTable,
  columns: number[],
  labelWidth: number,
  columnWidth: number,
): void {
  const cell = { width: columnWidth - 2 * PAD, align: "right" as const };
  const x = (k: number) => LEFT + labelWidth + k * columnWidth;
  const right = x(columns.length);
  const headerOf = (i: number) => pdfText(table.columns[i]?.label ?? "");
  doc.font("Helvetica-Bold").fontSize(HEADER_SIZE);
  const headerHeight = Math.max(...columns.map((i) => doc.heightOfString(headerOf(i), cell))) + 2 * PAD;
  const texts = (row: DashboardTable["rows"][number]) =>
    columns.map((i) => pdfText(formatValue(row.values[i] ?? null, table.columns[i]?.kind ?? "count")));
  const heightOf = (row: DashboardTable["rows"][number]): number => {
    doc.font("Helvetica").fontSize(SIZE);
    return (
      Math.max(
        doc.heightOfString(pdfText(row.label), { width: labelWidth - 2 * PAD }),
        ...texts(row).map((t) => doc.heightOfString(t, cell)),
      ) +
      2 * PAD
    );
  };
  const header = () => {
    const y = doc.y;
    doc.font("Helvetica-Bold").fontSize(HEADER_SIZE).fillColor("black");
    // Headers sit on the rule under them, however many lines each takes.
    columns.forEach((i, k) => {
      const height = doc.heightOfString(headerOf(i), cell);
      doc.text(headerOf(i), x(k) + PAD, y + headerHeight - PAD - height, cell);
    });
    doc.lineWidth(0.6).strokeColor("#929292");
    doc
      .moveTo(LEFT, y + headerHeight)
      .lineTo(right, y + headerHeight)
      .stroke();
    doc.y = y + headerHeight;
  };

  doc.y += 6;
  const heights = table.rows.map(heightOf);
  const whole = headerHeight + heights.reduce((s, h) => s + h, 0);
  ensureRoom(
    doc,
    whole <= KEEP_TOGETHER ? whole : headerHeight + (heights[0] ?? 0) + (heights[1] ?? 0),
    table.title,
  );
  header();
  for (const [k, row] of table.rows.entries()) {
    const height = heights[k] ?? 0;
    if (ensureRoom(doc, height, table.title)) header();
    const y = doc.y;
    doc.font("Helvetica").fontSize(SIZE).fillColor("black");
    doc.text(pdfText(row.label), LEFT + PAD, y + PAD, { width: labelWidth - 2 * PAD });
    texts(row).forEach((text, c) => {
      doc.text(text, x(c) + PAD, y + PAD, cell);
    });
    doc.lineWidth(0.4).strokeColor(RULE);
    doc
      .moveTo(LEFT, y + height)
      .lineTo(right, y + height)
      .stroke();
    doc.y = y + height;
  }
  doc.strokeColor("black").fillColor("black");
  doc.x = LEFT;
}
