import { Readable, Transform } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import { createInflateRaw } from "node:zlib";
import ExcelJS from "exceljs";

/**
 * Reading an XLSX without trusting it: its zip directory is read first and the file refused when it
 * unpacks to more than a sheet of MAX_IMPORT_ROWS rows could need; then only the parts needed are
 * unpacked, as streams that stop at the size their directory announced, and the first sheet is read
 * row by row (exceljs's streaming reader), yielding to other requests, stopping past the row limit.
 */

/** One file of the zip, from its central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** The directory is missing, damaged, or in the ZIP64 form (never needed by an XLSX of this size). */
export class NotAZip extends Error {}
/** An entry unpacks to more than its directory announced: a forged archive. */
export class SizeMismatch extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The zip's entries as its central directory lists them (nothing is unpacked). */
export function zipEntries(bytes: Buffer): ZipEntry[] {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= lowest; i--)
    if (bytes.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  if (end < 0) throw new NotAZip("no end of central directory");
  const count = bytes.readUInt16LE(end + 10);
  const offset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new NotAZip("ZIP64");
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw new NotAZip("bad entry");
    const nameLength = bytes.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
      name: bytes.toString("utf8", at + 46, at + 46 + nameLength),
    };
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) throw new NotAZip("ZIP64");
    entries.push(entry);
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

export function unpackedSize(entries: ZipEntry[]): number {
  return entries.reduce((sum, e) => sum + e.size, 0);
}

/** An entry's bytes as a stream, unpacked, failing with SizeMismatch past its announced size. */
export function entryStream(bytes: Buffer, entry: ZipEntry): Readable {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL) throw new NotAZip("bad local header");
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method !== 0 && entry.method !== 8) throw new NotAZip("unknown compression");
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > entry.size) done(new SizeMismatch(entry.name));
      else done(null, chunk);
    },
  });
  const source = Readable.from([data], { objectMode: false });
  const unpacked = entry.method === 8 ? source.pipe(createInflateRaw()) : source;
  unpacked.on("error", (error) => counted.destroy(error));
  // Text, decoded across chunk boundaries (a letter's UTF-8 bytes may be split between two chunks).
  return unpacked.pipe(counted).setEncoding("utf8");
}

/** The parts of exceljs's streaming reader used here (internal methods, pinned exceljs 4). */
interface StreamingWorkbook {
  model?: { sheets?: { rId?: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  properties?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(
    iterator: AsyncIterable<unknown>,
    sheetNo: string,
  ): Iterable<{ value: AsyncIterable<ExcelJS.Row> }>;
}

/** The first sheet's path: the first of workbook.xml's sheets, else the lowest-numbered one. */
function firstSheetPath(workbook: StreamingWorkbook, names: string[]): string | undefined {
  const rId = workbook.model?.sheets?.[0]?.rId;
  const target = workbook.workbookRels?.find((r) => r.Id === rId)?.Target;
  if (target) {
    const path = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
    if (names.includes(path)) return path;
  }
  const number = (name: string) => Number(/^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name)?.[1] ?? Number.NaN);
  return names.filter((name) => !Number.isNaN(number(name))).sort((a, b) => number(a) - number(b))[0];
}

/**
 * Calls `onRow` for each row of the first sheet, in order, until it returns false. Throws NotAZip,
 * SizeMismatch, or whatever exceljs throws on a sheet it cannot read.
 */
export async function eachSheetRow(
  bytes: Buffer,
  entries: ZipEntry[],
  onRow: (row: ExcelJS.Row) => boolean,
): Promise<"read" | "stopped" | "noSheet"> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  }) as unknown as StreamingWorkbook;
  const byName = new Map(entries.map((e) => [e.name, e]));
  const open = (name: string) => {
    const entry = byName.get(name);
    return entry ? entryStream(bytes, entry) : undefined;
  };
  const rels = open("xl/_rels/workbook.xml.rels");
  if (rels) await workbook._parseRels(rels);
  const book = open("xl/workbook.xml");
  if (!book) return "noSheet";
  await workbook._parseWorkbook(book);
  const styles = open("xl/styles.xml");
  if (styles) await workbook._parseStyles(styles);
  const strings = open("xl/sharedStrings.xml");
  if (strings) for await (const _ of workbook._parseSharedStrings(strings));
  const path = firstSheetPath(workbook, [...byName.keys()]);
  const sheetStream = path ? open(path) : undefined;
  if (!sheetStream) return "noSheet";
  try {
    const [sheet] = [...workbook._parseWorksheet(sheetStream, "1")];
    if (!sheet) return "noSheet";
    let count = 0;
    for await (const row of sheet.value) {
      if (!onRow(row)) return "stopped";
      // Other requests get their turn, whatever the pace of the unpacking.
      if (++count % 500 === 0) await nextTurn();
    }
    return "read";
  } finally {
    sheetStream.destroy();
  }
}
