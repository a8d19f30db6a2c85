/** The committee report: key figures, a written summary and charts, as an A4 PDF (pdfkit). */
import PDFDocument from "pdfkit";
import { protectionNotice } from "../../../common/reporting/protection";
import { type Dashboard, type DashboardTable, formatValue } from "../../../common/reporting/reporting.schema";
import { hoursSection } from "./reportHours";
import { monthLabel } from "./rules";

const BLUE = "#000091";
const GREY = "#666666";
const LEFT = 56;
const WIDTH = 483;

function heading(doc: PDFKit.PDFDocument, text: string): void {
  if (doc.y > 700) doc.addPage();
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).fillColor(BLUE).text(text, LEFT).fillColor("black");
  doc.moveDown(0.3);
}

/** Horizontal bars of a table's first column; a hidden count is written "< 5", without a bar. */
function barChart(doc: PDFKit.PDFDocument, table: DashboardTable, maxRows = 10): void {
  const rows = table.rows.slice(0, maxRows);
  heading(doc, table.title);
  if (rows.length === 0) {
    doc.font("Helvetica").fontSize(10).text("Aucune donnée sur la période.");
    return;
  }
  const max = Math.max(1, ...rows.map((r) => r.values[0] ?? 0));
  const labelWidth = 190;
  const barSpace = WIDTH - labelWidth - 50;
  for (const row of rows) {
    if (doc.y > 760) doc.addPage();
    const y = doc.y;
    const value = row.values[0] ?? null;
    doc
      .font("Helvetica")
      .fontSize(9)
      .fillColor("black")
      .text(row.label, LEFT, y, { width: labelWidth - 8, height: 11, ellipsis: true });
    const length = value === null ? 0 : (value / max) * barSpace;
    if (length > 0) doc.rect(LEFT + labelWidth, y, length, 10).fill(BLUE);
    doc
      .fillColor("black")
      .text(formatValue(value, "count"), LEFT + labelWidth + length + 4, y, { lineBreak: false });
    doc.y = y + 15;
  }
  doc.x = LEFT;
}

/** A line per series of a month-by-month table (hidden counts leave a gap). */
function trendChart(doc: PDFKit.PDFDocument, table: DashboardTable, series: number[]): void {
  heading(doc, table.title);
  if (doc.y > 600) doc.addPage();
  const top = doc.y;
  const height = 140;
  const max = Math.max(1, ...table.rows.flatMap((r) => series.map((i) => r.values[i] ?? 0)));
  const step = table.rows.length > 1 ? WIDTH / (table.rows.length - 1) : 0;
  doc.lineWidth(0.5).strokeColor("#cccccc").rect(LEFT, top, WIDTH, height).stroke();
  const colours = [BLUE, "#e1000f", "#18753c", "#b34000", "#6a6af4"];
  series.forEach((column, k) => {
    const colour = colours[k % colours.length]!;
    doc.lineWidth(1.5).strokeColor(colour);
    let drawing = false;
    table.rows.forEach((row, i) => {
      const value = row.values[column] ?? null;
      if (value === null) {
        drawing = false;
        return;
      }
      const x = LEFT + i * step;
      const y = top + height - (value / max) * height;
      if (drawing) doc.lineTo(x, y);
      else doc.moveTo(x, y);
      drawing = true;
    });
    doc.stroke();
    doc.rect(LEFT + k * 120, top + height + 8, 8, 8).fill(colour);
    doc
      .fillColor("black")
      .font("Helvetica")
      .fontSize(8)
      .text(table.columns[column]?.label ?? "", LEFT + k * 120 + 12, top + height + 7, { lineBreak: false });
  });
  doc.fontSize(8).fillColor(GREY);
  doc.text(table.rows[0]?.label ?? "", LEFT, top + height + 22, { lineBreak: false });
  doc.text(table.rows.at(-1)?.label ?? "", LEFT, top + height + 22, {
    width: WIDTH,
    align: "right",
    lineBreak: false,
  });
  doc.fillColor("black").strokeColor("black");
  doc.x = LEFT;
  doc.y = top + height + 40;
}

export function renderReport(dashboard: Dashboard, scopeLabel: string, generatedOn: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: LEFT,
    info: { Title: "Rapport du comité de pilotage", Author: "Passerelle" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  const { from, to } = dashboard.period;
  doc.font("Helvetica-Bold").fontSize(18).fillColor(BLUE).text("Rapport du comité de pilotage");
  doc
    .font("Helvetica")
    .fontSize(11)
    .fillColor("black")
    .text(`${scopeLabel} — de ${monthLabel(from)} à ${monthLabel(to)}`);
  doc
    .fontSize(9)
    .fillColor(GREY)
    .text(`Édité le ${generatedOn}. ${protectionNotice(dashboard.protectedCounts)}`);
  doc.fillColor("black");

  heading(doc, "En bref");
  doc.font("Helvetica").fontSize(10);
  for (const line of dashboard.summary) doc.text(line, { paragraphGap: 4 });

  heading(doc, "Chiffres clés");
  for (const figure of dashboard.figures) {
    const y = doc.y;
    doc.font("Helvetica").fontSize(10).text(figure.label, LEFT, y, { width: 360 });
    const after = doc.y;
    doc
      .font("Helvetica-Bold")
      .text(formatValue(figure.value, figure.kind), LEFT + 370, y, { width: 113, align: "right" });
    doc.y = Math.max(after, doc.y) + 2;
  }
  doc.x = LEFT;

  const table = (id: string) => dashboard.tables.find((t) => t.id === id);
  const trend = table("trend");
  if (trend) trendChart(doc, trend, [2, 3, 4]);
  for (const id of [
    "convocations",
    "demarchesByPartner",
    "demarchesByHelpLevel",
    "orientationsByDestination",
    "needsByDomain",
  ]) {
    const found = table(id);
    if (found) barChart(doc, found);
  }
  hoursSection(doc, dashboard);
  doc.end();
  return done;
}
