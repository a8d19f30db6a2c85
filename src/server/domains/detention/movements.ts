import PDFDocument from "pdfkit";
import { formatLongDate, formatTime } from "../../../common/dateFormat";
import { plural } from "../../../common/plural";

export interface MovementLine {
  startsAt: Date;
  personName: string;
  prisonNumber: string;
  /** Where in the establishment (the permanence's site and its access instructions). */
  place: string;
  agents: string;
  status: string;
}

export interface MovementsData {
  structureName: string;
  siteName: string;
  siteAddress: string;
  day: string;
  printedBy: string;
  printedAt: Date;
  lines: MovementLine[];
}

/**
 * The daily movements list of an establishment, for its staff: who is expected, when, where, with
 * whom. Landscape A4, one line per convocation, repeated headers on each page.
 */
export function renderMovements(data: MovementsData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 40,
    info: {
      Title: `Mouvements du ${formatLongDate(data.day)} – ${data.siteName}`,
      Author: data.structureName,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  doc.font("Helvetica-Bold").fontSize(11).text(data.structureName);
  doc
    .font("Helvetica")
    .fontSize(9)
    .text("Document à usage interne de l'établissement — données confidentielles");
  doc.moveDown();
  doc.font("Helvetica-Bold").fontSize(16).text(`Liste des mouvements — ${data.siteName}`);
  doc
    .font("Helvetica")
    .fontSize(12)
    .text(`Permanence France services du ${formatLongDate(data.day)}`);
  doc.fontSize(9).text(data.siteAddress);
  doc.moveDown();

  const columns = [
    { title: "Heure", width: 50 },
    { title: "Personne", width: 170 },
    { title: "N° d'écrou", width: 90 },
    { title: "Lieu", width: 190 },
    { title: "Intervenant(s)", width: 160 },
    { title: "Statut", width: 80 },
  ];
  const left = doc.page.margins.left;
  const header = (): void => {
    let x = left;
    const y = doc.y;
    doc.font("Helvetica-Bold").fontSize(10);
    for (const c of columns) {
      doc.text(c.title, x, y, { width: c.width - 6 });
      x += c.width;
    }
    doc
      .moveTo(left, doc.y + 2)
      .lineTo(left + 740, doc.y + 2)
      .stroke();
    doc.moveDown(0.5);
  };
  header();
  if (data.lines.length === 0) {
    doc.font("Helvetica").fontSize(11).text("Aucune personne attendue ce jour.", left);
  }
  for (const line of data.lines) {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 40) {
      doc.addPage();
      header();
    }
    const cells = [
      formatTime(line.startsAt),
      line.personName,
      line.prisonNumber || "—",
      line.place,
      line.agents || "—",
      line.status,
    ];
    const y = doc.y;
    let x = left;
    let bottom = y;
    doc.font("Helvetica").fontSize(10);
    cells.forEach((cell, i) => {
      const width = (columns[i]?.width ?? 80) - 6;
      doc.text(cell, x, y, { width });
      bottom = Math.max(bottom, doc.y);
      x += columns[i]?.width ?? 80;
    });
    doc.y = bottom + 4;
  }
  doc.moveDown(2);
  doc
    .font("Helvetica")
    .fontSize(8)
    .text(
      `Imprimé par ${data.printedBy} le ${formatLongDate(data.printedAt)} à ${formatTime(data.printedAt)}. ${plural(data.lines.length, "personne attendue", "personnes attendues")}.`,
      left,
    );
  doc.end();
  return done;
}
