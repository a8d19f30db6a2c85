/**
 * The committee report's sections computed beside the dashboard (milieu fermé, transfers and
 * handovers, collective actions): each figure on a row of its own, then their definitions in the annex.
 */
import type { NarrowingFilter } from "../../../common/reporting/definitions";
import { formatValue } from "../../../common/reporting/reporting.schema";
import {
  type SectionId,
  sectionFilterNotes,
  sectionFiltersNote,
} from "../../../common/reporting/sections.schema";
import { BLUE, ensureRoom, GREY, LEFT, pdfText, WIDTH } from "./reportLayout";
import type { ReportSection } from "./sections";

const LABEL_WIDTH = 360;

/** Which filters narrow a section, and those chosen that do not (the page and the files say the same). */
export const sectionNotes = (id: SectionId, chosen: Partial<Record<NarrowingFilter, unknown>>): string[] => [
  sectionFiltersNote(id),
  ...sectionFilterNotes(chosen, id),
];

/** Each section: its title, what it covers, the filters it ignores, then a row per figure. */
export function sectionsBody(
  doc: PDFKit.PDFDocument,
  sections: ReportSection[],
  chosen: Partial<Record<NarrowingFilter, unknown>> = {},
): void {
  for (const section of sections) {
    ensureRoom(doc, 90);
    doc
      .moveDown(0.8)
      .font("Helvetica-Bold")
      .fontSize(13)
      .fillColor(BLUE)
      .text(section.title, LEFT, doc.y, { width: WIDTH })
      .fillColor("black")
      .moveDown(0.3);
    doc
      .font("Helvetica-Oblique")
      .fontSize(8.5)
      .fillColor(GREY)
      .text(pdfText([section.intro, ...sectionNotes(section.id, chosen)].join(" ")), LEFT, doc.y, {
        width: WIDTH,
      })
      .fillColor("black")
      .moveDown(0.4);
    for (const figure of section.figures) {
      ensureRoom(doc, 26);
      const y = doc.y;
      doc.font("Helvetica").fontSize(10).text(pdfText(figure.label), LEFT, y, { width: LABEL_WIDTH });
      const after = doc.y;
      doc
        .font("Helvetica-Bold")
        .text(pdfText(formatValue(figure.value, figure.kind)), LEFT + LABEL_WIDTH + 10, y, {
          width: WIDTH - LABEL_WIDTH - 10,
          align: "right",
        });
      doc.y = Math.max(after, doc.y) + 2;
    }
    doc.x = LEFT;
  }
}

/** The annex: each section's figures with their definitions, under the section's title. */
export function sectionsAnnex(doc: PDFKit.PDFDocument, sections: ReportSection[]): void {
  for (const section of sections) {
    ensureRoom(doc, 60);
    doc
      .moveDown(0.8)
      .font("Helvetica-Bold")
      .fontSize(11)
      .fillColor(BLUE)
      .text(section.title, LEFT, doc.y, { width: WIDTH })
      .fillColor("black");
    for (const figure of section.figures) {
      ensureRoom(doc, 40);
      doc
        .moveDown(0.5)
        .font("Helvetica-Bold")
        .fontSize(9.5)
        .text(pdfText(figure.label), LEFT, doc.y, { width: WIDTH });
      doc.font("Helvetica").fontSize(9).text(pdfText(figure.definition), LEFT, doc.y, { width: WIDTH });
    }
  }
}
