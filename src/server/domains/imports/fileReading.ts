import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { errors } from "../../../common/errors";

/** A file read as a table: its header row and its data rows, each with its line number in the file. */
export interface ReadTable {
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

export const MAX_IMPORT_ROWS = 50_000;

/** C0 controls other than tab and line ends, and the C1 range: never in a text a person typed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this regex exists to find them.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * The file's text: UTF-8 (with or without BOM) when its bytes are valid UTF-8, UTF-16 with its BOM,
 * otherwise Windows-1252 (what Excel and older applications write on French Windows). A binary file
 * or an unknown encoding (control characters once decoded) is refused.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return checked(new TextDecoder("utf-16le").decode(bytes));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return checked(new TextDecoder("utf-16be").decode(bytes));
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
  }
  return checked(text.replace(/^\uFEFF/, ""));
}

function checked(text: string): string {
  if (CONTROL.test(text)) throw errors.imports.encoding();
  return text;
}

/** `;` (French exports) or `,`, whichever the header line holds more of, outside quotes. */
export function detectDelimiter(text: string): ";" | "," | "\t" {
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? "").replace(/"[^"]*"/g, "");
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates = [";", ",", "\t"] as const;
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ";");
}

function trimmedCells(cells: string[]): string[] {
  return cells.map((c) => c.trim());
}

function toTable(records: { line: number; cells: string[] }[]): ReadTable {
  const [header, ...rows] = records.filter((r) => r.cells.some((c) => c !== ""));
  if (!header || rows.length === 0 || header.cells.filter((c) => c !== "").length < 2)
    throw errors.imports.notATable();
  if (rows.length > MAX_IMPORT_ROWS) throw errors.imports.tooManyRows();
  return { headers: header.cells, rows };
}

export function readCsv(bytes: Uint8Array): ReadTable {
  const text = decodeText(bytes);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes as { record, info } (the typings do not say so).
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof records;
  } catch {
    throw errors.imports.notATable();
  }
  // `lines` counts up to the end of the record: a cell holding line breaks started that many lines before.
  const breaks = (cells: string[]) => cells.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
  return toTable(
    records.map((r) => ({ line: r.info.lines - breaks(r.record), cells: trimmedCells(r.record) })),
  );
}

/** A cell of a sheet as text: dates as JJ/MM/AAAA (Excel stores them in UTC), formulas by their result. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${pad(value.getUTCDate())}/${pad(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}`;
  }
  if (typeof value === "object") {
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("text" in value) return String(value.text);
    if ("error" in value) return "";
  }
  return String(value).trim();
}

export async function readXlsx(bytes: Uint8Array): Promise<ReadTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw errors.imports.notATable();
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw errors.imports.notATable();
  const width = sheet.columnCount;
  const records: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells = Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value));
    records.push({ line, cells });
  });
  return toTable(records);
}

/** A zip archive (XLSX) starts with "PK\x03\x04". */
function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Reads an uploaded export: XLSX (first sheet) or CSV, whatever its name says. */
export async function readTable(bytes: Uint8Array): Promise<ReadTable> {
  if (bytes.length === 0) throw errors.imports.notATable();
  return isZip(bytes) ? readXlsx(bytes) : readCsv(bytes);
}
