/**
 * The committee report: key figures, a written summary, charts of every row, and an annex of
 * definitions, as an A4 PDF (pdfkit). Colours are the page's (`chartColour`); a hidden count is a
 * hatched bar or a hollow point, always written "< 5".
 */
import PDFDocument from "pdfkit";
import { monthNames } from "../../../common/dateFormat";
import {
  filterNotes,
  type NarrowingFilter,
  narrowingFilterLabels,
} from "../../../common/reporting/definitions";
import { protectionNotice } from "../../../common/reporting/protection";
import {
  chartColour,
  type Dashboard,
  type DashboardTable,
  formatValue,
} from "../../../common/reporting/reporting.schema";
import { hoursSection } from "./reportHours";
import { sectionsAnnex, sectionsBody } from "./reportSections";
import { periodWords } from "./rules";
import type { ReportSection } from "./sections";

const BLUE = chartColour(0);
const GREY = "#666666";
const LEFT = 56;
const WIDTH = 483;
const BOTTOM = 780;
/** Where a hidden count (1 to 4) is drawn, as on the page. */
const HIDDEN_AT = 2.5;

/** The standard PDF fonts have no narrow no-break space (French number grouping): a plain one. */
const pdfText = (text: string): string => text.replace(/\u202f/g, "\u00a0");

type Chosen = Partial<Record<NarrowingFilter, string>>;

function ensureRoom(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  ensureRoom(doc, 60);
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).fillColor(BLUE).text(text, LEFT).fillColor("black");
  doc.moveDown(0.3);
}

function notes(doc: PDFKit.PDFDocument, lines: string[]): void {
  for (const line of lines)
    doc.font("Helvetica-Oblique").fontSize(8.5).fillColor(GREY).text(line, LEFT, doc.y, { width: WIDTH });
  doc.fillColor("black");
}

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

/** Horizontal bars of a table's first column, one per row (all of them, across pages if need be). */
function barChart(doc: PDFKit.PDFDocument, table: DashboardTable, chosen: Chosen): void {
  heading(doc, table.title);
  notes(doc, filterNotes(chosen, table, "table"));
  doc.moveDown(0.3);
  if (table.rows.length === 0) {
    doc.font("Helvetica").fontSize(10).text("Aucune donnée sur la période.", LEFT);
    return;
  }
  const kind = table.columns[0]?.kind ?? "count";
  const max = Math.max(1, ...table.rows.map((r) => r.values[0] ?? 0));
  const labelWidth = 190;
  const barSpace = WIDTH - labelWidth - 50;
  const colour = chartColour(0);
  for (const row of table.rows) {
    ensureRoom(doc, 15);
    const y = doc.y;
    const value = row.values[0] ?? null;
    doc
      .font("Helvetica")
      .fontSize(9)
      .fillColor("black")
      .text(pdfText(row.label), LEFT, y, { width: labelWidth - 8, height: 11, ellipsis: true });
    const length = ((value ?? HIDDEN_AT) / max) * barSpace;
    if (value === null) hatched(doc, LEFT + labelWidth, y, Math.max(length, 6), 10, colour);
    else if (length > 0) doc.rect(LEFT + labelWidth, y, length, 10).fill(colour);
    doc
      .fillColor("black")
      .font(value === null ? "Helvetica-Bold" : "Helvetica")
      .text(pdfText(formatValue(value, kind)), LEFT + labelWidth + Math.max(length, 6) + 4, y, {
        lineBreak: false,
      });
    doc.y = y + 15;
  }
  if (table.rows.some((r) => r.values[0] === null))
    notes(doc, ["Barre hachurée : effectif de 1 à 4, masqué (« < 5 »)."]);
  doc.x = LEFT;
}

/** A step giving 4 to 6 gridlines up to `max`: 1, 2, 5, 10, 20, 50… */
function niceStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? power * 10;
}

const shortMonth = new Intl.DateTimeFormat("fr-FR", { month: "short", year: "2-digit", timeZone: "UTC" });

/** A line per series of a month-by-month table, with its value axis and months; hidden counts as hollow points. */
function trendChart(doc: PDFKit.PDFDocument, table: DashboardTable, series: number[], chosen: Chosen): void {
  heading(doc, table.title);
  notes(doc, filterNotes(chosen, { ...table, columns: series.map((i) => table.columns[i]!) }, "table"));
  ensureRoom(doc, 230);
  const axis = 28;
  const left = LEFT + axis;
  const width = WIDTH - axis;
  const top = doc.y + 8;
  const height = 150;
  const top_ = Math.max(1, ...table.rows.flatMap((r) => series.map((i) => r.values[i] ?? HIDDEN_AT)));
  const step = niceStep(top_);
  const max = Math.ceil(top_ / step) * step;
  const y = (value: number) => top + height - (value / max) * height;
  doc.font("Helvetica").fontSize(7.5).fillColor(GREY);
  for (let v = 0; v <= max; v += step) {
    doc.lineWidth(0.4).strokeColor(v === 0 ? "#929292" : "#dddddd");
    doc
      .moveTo(left, y(v))
      .lineTo(left + width, y(v))
      .stroke();
    doc.text(pdfText(formatValue(v, "count")), LEFT, y(v) - 3.5, { width: axis - 4, align: "right" });
  }
  const n = table.rows.length;
  const x = (i: number) => (n > 1 ? left + (i * width) / (n - 1) : left + width / 2);
  const every = Math.ceil(n / 12);
  table.rows.forEach((row, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    doc.text(pdfText(monthTick(row.label)), x(i) - 20, top + height + 4, { width: 40, align: "center" });
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
  let legendX = LEFT;
  const legendY = top + height + 18;
  for (const column of series) {
    const label = table.columns[column]?.label ?? "";
    doc.rect(legendX, legendY, 8, 8).fill(chartColour(column));
    doc
      .fillColor("black")
      .font("Helvetica")
      .fontSize(8)
      .text(label, legendX + 12, legendY, { lineBreak: false });
    legendX += 24 + doc.widthOfString(label);
  }
  doc.x = LEFT;
  doc.y = legendY + 14;
  if (anyHidden) notes(doc, ["Point creux : effectif de 1 à 4, masqué (« < 5 »)."]);
  doc.strokeColor("black").fillColor("black");
}

/** "avril 2026" → "avr. 26" (the month label of the dashboard's rows). */
function monthTick(label: string): string {
  const [name, year] = label.split(" ");
  const index = (monthNames as readonly string[]).indexOf(name ?? "");
  if (index < 0 || !year) return label;
  return shortMonth.format(new Date(Date.UTC(Number(year), index, 15)));
}

/** The report's tables, in this order (the trend is drawn as lines, the others as bars). */
const BAR_TABLES = [
  "convocations",
  "demarchesByPartner",
  "demarchesByHelpLevel",
  "orientationsByDestination",
  "orientationsByStatus",
  "needsByDomain",
];
const TREND_SERIES = ["Visites", "Démarches engagées", "Droits ouverts"];

function chosenWords(dashboard: Dashboard, chosen: Chosen): string | null {
  const names: Record<NarrowingFilter, { id: string; name: string }[]> = {
    siteId: dashboard.options.sites,
    partnerId: dashboard.options.partners,
    counselorId: dashboard.options.counselors,
  };
  const words = (Object.keys(names) as NarrowingFilter[])
    .filter((f) => chosen[f])
    .map((f) => `${narrowingFilterLabels[f]} : ${names[f].find((o) => o.id === chosen[f])?.name ?? "?"}`);
  return words.length ? `Filtres : ${words.join(" ; ")}.` : null;
}

export function renderReport(
  dashboard: Dashboard,
  scopeLabel: string,
  generatedOn: string,
  chosen: Chosen = {},
  sections: ReportSection[] = [],
): Promise<Buffer> {
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
    .text(pdfText(`${scopeLabel} — ${periodWords(from, to)}`));
  const filters = chosenWords(dashboard, chosen);
  if (filters) doc.fontSize(10).text(pdfText(filters));
  doc
    .fontSize(9)
    .fillColor(GREY)
    .text(
      `Édité le ${generatedOn}. ${protectionNotice(dashboard.protectedCounts)} Les définitions des chiffres sont en annexe.`,
    );
  doc.fillColor("black");

  heading(doc, "En bref");
  doc.font("Helvetica").fontSize(10);
  for (const line of dashboard.summary)
    doc.text(pdfText(line), LEFT, doc.y, { paragraphGap: 4, width: WIDTH });

  heading(doc, "Chiffres clés");
  for (const figure of dashboard.figures) {
    ensureRoom(doc, 26);
    const y = doc.y;
    doc.font("Helvetica").fontSize(10).text(figure.label, LEFT, y, { width: 360 });
    const after = doc.y;
    doc
      .font("Helvetica-Bold")
      .text(pdfText(formatValue(figure.value, figure.kind)), LEFT + 370, y, { width: 113, align: "right" });
    doc.y = Math.max(after, doc.y);
    notes(doc, filterNotes(chosen, figure, "figure"));
    doc.y += 2;
  }
  doc.x = LEFT;

  const table = (id: string) => dashboard.tables.find((t) => t.id === id);
  const trend = table("trend");
  if (trend)
    trendChart(
      doc,
      trend,
      TREND_SERIES.map((label) => trend.columns.findIndex((c) => c.label === label)).filter((i) => i >= 0),
      chosen,
    );
  for (const id of BAR_TABLES) {
    const found = table(id);
    if (found) barChart(doc, found, chosen);
  }
  sectionsBody(doc, sections);

  doc.addPage();
  doc.font("Helvetica-Bold").fontSize(15).fillColor(BLUE).text("Annexe : définitions", LEFT);
  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor(GREY)
    .text(
      "Ce que compte chaque chiffre et chaque tableau, tel que l'outil le calcule. Les filtres Site, Partenaire et Conseiller ne s'appliquent qu'aux chiffres qu'ils concernent ; le rapport le signale sous le chiffre.",
    )
    .fillColor("black");
  const shownTables = [trend, ...BAR_TABLES.map(table)].filter((t): t is DashboardTable => Boolean(t));
  for (const [title, definition] of [
    ...dashboard.figures.map((f) => [f.label, f.definition] as const),
    ...shownTables.map((t) => [t.title, t.definition] as const),
  ]) {
    if (!definition) continue;
    ensureRoom(doc, 40);
    doc.moveDown(0.5).font("Helvetica-Bold").fontSize(9.5).text(title, LEFT, doc.y, { width: WIDTH });
    doc.font("Helvetica").fontSize(9).text(pdfText(definition), LEFT, doc.y, { width: WIDTH });
  }
  sectionsAnnex(doc, sections);
  hoursSection(doc, dashboard);
  doc.end();
  return done;
}
