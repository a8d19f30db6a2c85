/** The committee report's page layout (A4, pdfkit): margins, colours and the helpers its parts share. */
import { chartColour } from "../../../common/reporting/reporting.schema";

export const BLUE = chartColour(0);
export const GREY = "#666666";
export const RULE = "#dddddd";
export const LEFT = 56;
export const WIDTH = 483;
export const BOTTOM = 780;

/** The standard PDF fonts have no narrow no-break space (French number grouping): a plain one. */
export const pdfText = (text: string): string => text.replace(/\u202f/g, "\u00a0");

/**
 * A new page when `height` points would not fit above the bottom margin; with `continuing`, the
 * title of the table that goes on there, marked "(suite)". True when a page was added.
 */
export function ensureRoom(doc: PDFKit.PDFDocument, height: number, continuing?: string): boolean {
  if (doc.y + height <= BOTTOM) return false;
  doc.addPage();
  if (continuing)
    doc
      .font("Helvetica-Oblique")
      .fontSize(8.5)
      .fillColor(GREY)
      .text(pdfText(`${continuing} (suite)`), LEFT, doc.y, { width: WIDTH })
      .fillColor("black")
      .moveDown(0.3);
  return true;
}

/** A section's title, kept on the page of the first `room` points that follow it. */
export function heading(doc: PDFKit.PDFDocument, text: string, room = 30): void {
  ensureRoom(doc, 40 + room);
  doc
    .moveDown(0.8)
    .font("Helvetica-Bold")
    .fontSize(13)
    .fillColor(BLUE)
    .text(pdfText(text), LEFT, doc.y, { width: WIDTH })
    .fillColor("black");
  doc.moveDown(0.3);
}

/** Small grey lines in italics (filter notes, how hidden counts are drawn). */
export function notes(doc: PDFKit.PDFDocument, lines: string[]): void {
  for (const line of lines)
    doc
      .font("Helvetica-Oblique")
      .fontSize(8.5)
      .fillColor(GREY)
      .text(pdfText(line), LEFT, doc.y, { width: WIDTH });
  doc.fillColor("black");
}
