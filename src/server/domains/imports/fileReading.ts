import { once } from "node:events";
import { Parser } from "csv-parse";
import type ExcelJS from "exceljs";
import { AppError, errors } from "../../../common/errors";
import { fileKindOf } from "../../core/fileKind";
import { Turns } from "../../core/turns";
import { withoutInvisibleCharacters } from "../../http/controlCharacters";
import { eachSheetRow, SizeMismatch, unpackedSize, type ZipEntry, zipEntries } from "./xlsxReading";

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
  // Counted in one pass: a header line may be megabytes long (a file of `;` only).
  const counts = { ";": 0, ",": 0, "\t": 0 };
  for (let i = 0; i < firstLine.length; i++) {
    const c = firstLine[i];
    if (c === ";" || c === "," || c === "\t") counts[c]++;
  }
  const candidates = [";", ",", "\t"] as const;
  return candidates.reduce((best, c) => (counts[c] > counts[best] ? c : best), ";");
}

/**
 * The header and rows, without empty lines, each cell without invisible characters (zero-width space,
 * bidi marks…): a column named "Nom\u200B" could not be chosen in the mapping (the API refuses it),
 * and "D-1\u200B" would be a second file number that looks like "D-1".
 */
async function toTable(records: { line: number; cells: string[] }[], turns: Turns): Promise<ReadTable> {
  const visible: ReadTable["rows"] = [];
  for (const r of records) {
    const cells = new Array<string>(r.cells.length);
    for (let i = 0; i < cells.length; i++) {
      cells[i] = withoutInvisibleCharacters(r.cells[i]!).trim();
      if (turns.due()) await turns.pass();
    }
    if (cells.some((c) => c !== "")) visible.push({ line: r.line, cells });
  }
  const [header, ...rows] = visible;
  if (!header || rows.length === 0 || header.cells.filter((c) => c !== "").length < 2)
    throw errors.imports.notATable();
  if (rows.length > MAX_IMPORT_ROWS) throw errors.imports.tooManyRows();
  return { headers: header.cells, rows };
}

/** Bytes handed to the CSV parser at once, between turns of other requests (~5 ms of parsing). */
const CSV_CHUNK_BYTES = 16 * 1024;

/** csv-parse's records, each with its `info` (`lines`: up to the end of the record), fed in slices. */
async function csvRecords(
  text: string,
  turns: Turns,
): Promise<{ record: string[]; info: { lines: number } }[]> {
  // The same options and the same bytes as `csv-parse/sync` (which parses `Buffer.from(text)`).
  const parser = new Parser({
    delimiter: detectDelimiter(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  const records: { record: string[]; info: { lines: number } }[] = [];
  let failed = false;
  parser.on("data", (record) => records.push(record));
  parser.on("error", () => {
    failed = true;
  });
  const bytes = Buffer.from(text);
  // Each write is awaited until parsed (its records delivered): no chunk waits in the stream's buffer
  // to be parsed later along with others, in one go.
  for (let at = 0; at < bytes.length && !failed; at += CSV_CHUNK_BYTES) {
    await new Promise<void>((resolve) =>
      parser.write(bytes.subarray(at, at + CSV_CHUNK_BYTES), () => resolve()),
    );
    await turns.breathe();
  }
  if (!failed) {
    const ended = once(parser, "end");
    parser.end();
    await ended.catch(() => {
      failed = true;
    });
  }
  if (failed) throw errors.imports.notATable();
  return records;
}

export async function readCsv(bytes: Uint8Array): Promise<ReadTable> {
  const turns = new Turns();
  const text = decodeText(bytes);
  await turns.pass();
  const records = await csvRecords(text, turns);
  // `lines` counts up to the end of the record: a cell holding line breaks started that many lines before.
  const lines: { line: number; cells: string[] }[] = [];
  for (const { record, info } of records) {
    let breaks = 0;
    const cells = new Array<string>(record.length);
    for (let i = 0; i < record.length; i++) {
      const cell = record[i]!;
      if (cell.includes("\n")) breaks += cell.split("\n").length - 1;
      cells[i] = cell.trim();
      if (turns.due()) await turns.pass();
    }
    lines.push({ line: info.lines - breaks, cells });
  }
  return toTable(lines, turns);
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

/**
 * An XLSX sheet row rarely takes 1 KB of XML (cell references, styles, shared strings included): the
 * whole file may unpack to twice that per row allowed, no more. Past it, refused before unpacking.
 */
export const XLSX_BYTES_PER_ROW = 2_000;
export const MAX_XLSX_UNPACKED_BYTES = MAX_IMPORT_ROWS * XLSX_BYTES_PER_ROW;
const tooLarge = () => errors.imports.unpackedTooLarge(Math.round(MAX_XLSX_UNPACKED_BYTES / 1_000_000));

export async function readXlsx(bytes: Uint8Array): Promise<ReadTable> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let entries: ZipEntry[];
  try {
    entries = zipEntries(buffer);
  } catch {
    throw errors.imports.notATable();
  }
  const size = unpackedSize(entries);
  if (size > MAX_XLSX_UNPACKED_BYTES) throw tooLarge();
  try {
    return await streamedXlsx(buffer, entries);
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof SizeMismatch) throw tooLarge();
    throw errors.imports.notATable();
  }
}

/** The first sheet read row by row, stopping once past the row limit. */
async function streamedXlsx(buffer: Buffer, entries: ZipEntry[]): Promise<ReadTable> {
  const records: { line: number; cells: string[] }[] = [];
  let width = 0;
  let tooMany = false;
  const outcome = await eachSheetRow(buffer, entries, (row) => {
    if (!row.hasValues) return true;
    width = Math.max(width, row.cellCount);
    const cells = Array.from({ length: row.cellCount }, (_, i) => cellText(row.getCell(i + 1).value));
    if (cells.every((c) => c === "")) return true;
    records.push({ line: row.number, cells });
    // The header and one row past the limit: enough to know.
    tooMany = records.length > MAX_IMPORT_ROWS + 1;
    return !tooMany;
  });
  if (outcome === "noSheet") throw errors.imports.notATable();
  if (tooMany) throw errors.imports.tooManyRows();
  const turns = new Turns();
  return toTable(
    records.map((r) => ({ line: r.line, cells: padded(r.cells, width) })),
    turns,
  );
}

function padded(cells: string[], width: number): string[] {
  return cells.length >= width ? cells : [...cells, ...Array<string>(width - cells.length).fill("")];
}

/** A zip archive (XLSX) starts with "PK\x03\x04". */
function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** What a table may be, by `file-type`: a workbook, or a zip it did not tell apart. */
const SPREADSHEET_TYPES = new Set([
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/zip",
]);

/**
 * Reads an uploaded export: XLSX (first sheet) or CSV, whatever its name says. A file that cannot be
 * read as either and whose bytes are something else `file-type` knows (a PNG photo named `.xlsx`, a
 * PDF, a Word document) is told what it is, not that a text or a workbook is damaged. Only asked
 * after a failure: a CSV is text, which `file-type` does not claim to know.
 */
export async function readTable(bytes: Uint8Array): Promise<ReadTable> {
  if (bytes.length === 0) throw errors.imports.notATable();
  try {
    return await (isZip(bytes) ? readXlsx(bytes) : readCsv(bytes));
  } catch (error) {
    if (
      error instanceof AppError &&
      (error.code === "import.encoding" || error.code === "import.notATable")
    ) {
      const kind = await fileKindOf(bytes);
      if (kind && !SPREADSHEET_TYPES.has(kind.mime)) throw errors.imports.notASpreadsheet(kind.words);
    }
    throw error;
  }
}
