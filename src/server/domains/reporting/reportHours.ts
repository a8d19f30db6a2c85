/**
 * The committee report's tables of several units: the territories compared (when the reader has
 * several structures), the weekly opening hours per site and the hours held per month.
 */
import { type Dashboard, formatValue } from "../../../common/reporting/reporting.schema";

const BLUE = "#000091";
const LEFT = 56;
const WIDTH = 483;

/** A plain table of a dashboard table (label, then each column, with its unit). */
export function hoursSection(doc: PDFKit.PDFDocument, dashboard: Dashboard): void {
  for (const id of ["territories", "openingHoursWeekly", "openingHoursHeld"]) {
    const table = dashboard.tables.find((t) => t.id === id);
    if (!table || table.rows.length === 0) continue;
    if (doc.y > 680) doc.addPage();
    doc
      .moveDown(0.8)
      .font("Helvetica-Bold")
      .fontSize(13)
      .fillColor(BLUE)
      .text(table.title, LEFT, doc.y, { width: WIDTH });
    doc.fillColor("black").moveDown(0.3);
    const columns = table.columns.slice(0, 6);
    const step = columns.length > 4 ? 58 : 85;
    const labelWidth = WIDTH - columns.length * step;
    const header = doc.y;
    doc.font("Helvetica-Bold").fontSize(8);
    columns.forEach((c, i) => {
      doc.text(c.label, LEFT + labelWidth + i * step, header, {
        width: step - 5,
        align: "right",
        height: 30,
        ellipsis: true,
      });
    });
    doc.y = header + 32;
    for (const row of table.rows) {
      if (doc.y > 760) doc.addPage();
      const y = doc.y;
      doc
        .font("Helvetica")
        .fontSize(9)
        .text(row.label, LEFT, y, { width: labelWidth - 8, height: 11, ellipsis: true });
      columns.forEach((c, i) => {
        doc.text(formatValue(row.values[i] ?? null, c.kind), LEFT + labelWidth + i * step, y, {
          width: step - 5,
          align: "right",
          lineBreak: false,
        });
      });
      doc.y = y + 14;
    }
    doc.x = LEFT;
  }
}
