/** Spreadsheet files of the dashboard and of the lists: CSV (French Excel: `;`, BOM) and XLSX (exceljs). */
import ExcelJS from "exceljs";
import {
  type DashboardTable,
  type Figure,
  formatValue,
  type ValueKind,
} from "../../../common/reporting/reporting.schema";

export interface Sheet {
  name: string;
  /** Lines written above the header (title, filters, purge date). */
  preamble: string[];
  header: string[];
  rows: (string | number | null)[][];
  kinds?: ValueKind[];
}

export const CSV_TYPE = "text/csv; charset=utf-8";
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula is neutralised. */
const csvCell = (value: string | number | null, kind: ValueKind = "count"): string => {
  if (typeof value === "number") return String(value).replace(".", ",");
  const raw = value === null ? formatValue(null, kind) : value;
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[";\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One sheet as CSV; a hidden count reads "< 5". */
export function toCsv(sheet: Sheet): Buffer {
  const lines = [
    ...sheet.preamble.map((line) => csvCell(line)),
    sheet.header.map((h) => csvCell(h)).join(";"),
    ...sheet.rows.map((row) => row.map((v, i) => csvCell(v, sheet.kinds?.[i])).join(";")),
  ];
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

/** Several sheets in one workbook; a hidden count reads "< 5". */
export async function toXlsx(sheets: Sheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Passerelle";
  const used = new Set<string>();
  for (const sheet of sheets) {
    let name = sheet.name.replace(/[*?:\\/[\]]/g, "-").slice(0, 31);
    for (let i = 2; used.has(name); i += 1) name = `${name.slice(0, 28)} ${i}`;
    used.add(name);
    const ws = workbook.addWorksheet(name);
    for (const line of sheet.preamble) ws.addRow([line]);
    if (sheet.preamble.length > 0) ws.addRow([]);
    ws.addRow(sheet.header).font = { bold: true };
    for (const row of sheet.rows)
      ws.addRow(row.map((v, i) => (v === null ? formatValue(null, sheet.kinds?.[i] ?? "count") : v)));
    ws.columns.forEach((column, i) => {
      column.width = i === 0 ? 45 : 18;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A dashboard table as a sheet: first column its row labels. */
export function tableSheet(table: DashboardTable, preamble: string[]): Sheet {
  return {
    name: table.title,
    preamble: [table.title, ...preamble],
    header: ["", ...table.columns.map((c) => c.label)],
    rows: table.rows.map((r) => [r.label, ...r.values]),
    kinds: ["count", ...table.columns.map((c) => c.kind)],
  };
}

export function figuresSheet(figures: Figure[], preamble: string[]): Sheet {
  return {
    name: "Chiffres clés",
    preamble: ["Chiffres clés", ...preamble],
    header: ["Indicateur", "Valeur"],
    rows: figures.map((f) => [f.label, f.value === null ? formatValue(null, f.kind) : f.value]),
  };
}

/** A section served beside the dashboard (milieu fermé, transfers, actions): each figure with its definition. */
export function sectionSheet(
  section: {
    title: string;
    sheet: string;
    intro: string;
    figures: { label: string; value: number | null; kind: ValueKind; definition: string }[];
  },
  preamble: string[],
  note: string,
): Sheet {
  return {
    name: section.sheet,
    preamble: [section.title, section.intro, ...preamble, note],
    header: ["Indicateur", "Valeur", "Définition"],
    rows: section.figures.map((f) => [
      f.label,
      f.value === null ? formatValue(null, f.kind) : f.value,
      f.definition,
    ]),
  };
}
