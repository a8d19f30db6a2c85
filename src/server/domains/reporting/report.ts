/**
 * The committee report: key figures, a written summary, every table of the dashboard (its chart of
 * every row, then the values of all its columns), the sections computed beside it, and an annex of
 * definitions, as an A4 PDF (pdfkit). Colours are the page's (`chartColour`); a hidden count is a
 * hatched bar or a hollow point, always written "< 5".
 */

import PDFDocument from "pdfkit";
import { frenchList } from "../../../common/frenchList";
import { chartColumns, isEmptyTable, leftOutNote } from "../../../common/reporting/chartColumns";
import { filterNotes, type NarrowingFilter } from "../../../common/reporting/definitions";
import { PROTECTED_FIGURES_DISAGREE, protectionNotice } from "../../../common/reporting/protection";
import { type Dashboard, type DashboardTable, formatValue } from "../../../common/reporting/reporting.schema";
import { chosenWords } from "./files";
import { barChart, drawnColumns, LINE_CHART_HEIGHT, lineChart, stackedChart } from "./reportCharts";
import { BLUE, ensureRoom, GREY, heading, LEFT, notes, pdfText, WIDTH } from "./reportLayout";
import { sectionsAnnex, sectionsBody } from "./reportSections";
import { valuesTable } from "./reportTables";
import { periodWords } from "./rules";
import type { ReportSection } from "./sections";

type Chosen = Partial<Record<NarrowingFilter | "structureId", string>>;

/** The trend's lines (its table under the chart has every column). */
const TREND_SERIES = ["Visites", "Démarches engagées", "Droits ouverts"];

/** The columns a table's line chart draws: the trend's chosen series, else as on the page. */
function seriesOf(table: DashboardTable): number[] {
  if (table.id !== "trend") return drawnColumns(table);
  return TREND_SERIES.map((label) => table.columns.findIndex((c) => c.label === label)).filter((i) => i >= 0);
}

/** The comparison of structures follows the partner filter only, as the page says under it. */
function territoriesNote(chosen: Chosen): string {
  const ignored = [
    chosen.structureId && "la structure",
    chosen.siteId && "le site",
    chosen.counselorId && "le conseiller",
  ].filter((f): f is string => Boolean(f));
  return `Chaque structure avec ses propres chiffres sur la période${chosen.partnerId ? " et pour le partenaire choisi" : ""}, aux mêmes règles que le tableau de bord${ignored.length ? ` ; le filtre sur ${frenchList(ignored)} ne s'applique pas à cette comparaison` : ""}.`;
}

/**
 * One table of the dashboard: its title, the filters it ignores, its chart (bars of the first
 * column, stacked bars or lines, as on the page), then every column's values — except for a table of
 * one column drawn as bars, whose chart already writes each value.
 */
function tableSection(doc: PDFKit.PDFDocument, table: DashboardTable, chosen: Chosen): void {
  // The comparison: its own sentence, then the columns the partner filter leaves aside (people, no-shows).
  const written =
    table.id === "territories"
      ? [
          territoriesNote(chosen),
          ...filterNotes(chosen.partnerId ? { partnerId: chosen.partnerId } : {}, table, "table"),
        ]
      : filterNotes(chosen, table, "table");
  const line = table.chart === "line" && !isEmptyTable(table);
  heading(doc, table.title, (line ? LINE_CHART_HEIGHT : 40) + 12 * written.length);
  notes(doc, written);
  doc.moveDown(0.3);
  if (isEmptyTable(table)) {
    doc.font("Helvetica").fontSize(10).text("Aucune donnée sur la période.", LEFT);
    return;
  }
  if (line) lineChart(doc, table, seriesOf(table));
  else if (table.chart === "stacked") stackedChart(doc, table);
  else barChart(doc, table);
  // The trend draws the series it chooses; the other charts say which columns they leave out.
  const leftOut = table.id === "trend" ? null : leftOutNote(chartColumns(table).leftOut);
  if (table.chart !== "bar" && leftOut) notes(doc, [leftOut]);
  if (table.chart !== "bar" || table.columns.length > 1) valuesTable(doc, table);
  doc.x = LEFT;
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
  const filters = chosenWords(dashboard.options, chosen);
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
  if (dashboard.protectedCounts)
    doc
      .fontSize(9)
      .fillColor(GREY)
      .text(pdfText(PROTECTED_FIGURES_DISAGREE), LEFT, doc.y, { paragraphGap: 4, width: WIDTH })
      .fillColor("black");

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

  // The territories compared come first, as on the page; then the tables in the page's order.
  const shownTables = [
    ...dashboard.tables.filter((t) => t.id === "territories"),
    ...dashboard.tables.filter((t) => t.id !== "territories"),
  ];
  for (const table of shownTables) tableSection(doc, table, chosen);
  sectionsBody(doc, sections, chosen);

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
  for (const [title, definition] of [
    ...dashboard.figures.map((f) => [f.label, f.definition] as const),
    ...shownTables.map((t) => [t.title, t.definition] as const),
  ]) {
    if (!definition) continue;
    ensureRoom(doc, 40);
    doc
      .moveDown(0.5)
      .font("Helvetica-Bold")
      .fontSize(9.5)
      .text(pdfText(title), LEFT, doc.y, { width: WIDTH });
    doc.font("Helvetica").fontSize(9).text(pdfText(definition), LEFT, doc.y, { width: WIDTH });
  }
  sectionsAnnex(doc, sections);
  doc.end();
  return done;
}
