import { crc32, deflateRawSync, constants as zlibConstants } from "node:zlib";
import { Faker, fr } from "@faker-js/faker";
import { formOfParts } from "./documentFiles";

/** A multipart/form-data body holding one file under "file", as a browser sends it. */
export function multipartFile(
  fileName: string,
  content: Uint8Array | string,
  type = "text/csv",
): { payload: Buffer; headers: { "content-type": string } } {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return formOfParts([{ name: "file", file: { name: fileName, bytes, type } }]);
}

/** Windows-1252 bytes of a text (the characters of French names fit in Latin-1's range). */
export function windows1252(text: string): Uint8Array {
  const euro: Record<string, number> = { "€": 0x80, "’": 0x92, œ: 0x9c, Œ: 0x8c };
  return Uint8Array.from([...text].map((c) => euro[c] ?? c.charCodeAt(0)));
}

const LAST_NAMES = [
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Richard",
  "Petit",
  "Durand",
  "Leroy",
  "Moreau",
  "Simon",
  "Laurent",
  "Lefèvre",
  "Michel",
  "García",
  "N'Diaye",
];
const FIRST_NAMES = [
  "Léa",
  "Hugo",
  "Chloé",
  "Lucas",
  "Inès",
  "Karim",
  "Zoé",
  "Noah",
  "Aïcha",
  "Mathéo",
  "Sofia",
  "Yanis",
];
const MEASURES = ["Sursis probatoire", "LC", "TIG", "DDSE", "Suivi socio-judiciaire", "sursis_probatoire"];

/** Rows past the first ones take faker's French names: a large file has as many names as a real caseload. */
const FIXED_NAMES = 200;

/**
 * A caseload export of `count` generated people (French column names, `;`, JJ/MM/AAAA dates, phones
 * in several French formats), source numbers `prefix-1`, `prefix-2`… The first 200 rows cycle
 * through fixed names (what the tests look for); the next ones have seeded French names.
 */
export function generatedCaseload(count: number, prefix = "D", referent = ""): string {
  const header =
    "N° dossier;NOM;Prénom;Date de naissance;Téléphone;Mesure;Début de mesure;Fin de mesure;CPIP référent";
  const pad = (n: number) => String(n).padStart(2, "0");
  const faker = new Faker({ locale: [fr] });
  faker.seed(13);
  const names = (i: number): [string, string] =>
    i < FIXED_NAMES
      ? [
          LAST_NAMES[i % LAST_NAMES.length]!.toUpperCase(),
          `${FIRST_NAMES[i % FIRST_NAMES.length]}${i >= FIRST_NAMES.length ? ` ${String.fromCharCode(65 + (i % 26))}` : ""}`,
        ]
      : [faker.person.lastName().toUpperCase(), faker.person.firstName()];
  const rows = Array.from({ length: count }, (_, i) => {
    const phone = [
      // Never the demo's 06 12 34 56 78 (Karim's): the search journey finds him alone by it.
      `06 ${pad(i % 100)} 34 56 70`,
      `+33 7 12 ${pad(i % 100)} 56 78`,
      `0612${String(i % 1_000_000).padStart(6, "0")}`,
    ][i % 3];
    return [
      `${prefix}-${i + 1}`,
      ...names(i),
      `${pad((i % 28) + 1)}/${pad((i % 12) + 1)}/${1960 + (i % 45)}`,
      phone,
      MEASURES[i % MEASURES.length],
      `${pad((i % 28) + 1)}/01/2025`,
      `${pad((i % 28) + 1)}/01/2027`,
      referent,
    ].join(";");
  });
  return `${header}\r\n${rows.join("\r\n")}\r\n`;
}

/** A zip archive of these files, each deflated (`deflated`) or given already deflated (`raw`). */
function zipOf(files: { name: string; raw: Buffer; size: number; crc: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, "utf8");
    const header = (central: boolean) => {
      const head = Buffer.alloc(central ? 46 : 30);
      let at = 0;
      head.writeUInt32LE(central ? 0x02014b50 : 0x04034b50, at);
      at += 4;
      if (central) {
        head.writeUInt16LE(20, at);
        at += 2;
      }
      head.writeUInt16LE(20, at); // version needed
      head.writeUInt16LE(8, at + 4); // deflated
      head.writeUInt32LE(file.crc >>> 0, at + 10);
      head.writeUInt32LE(file.raw.length, at + 14);
      head.writeUInt32LE(file.size, at + 18);
      head.writeUInt16LE(name.length, at + 22);
      if (central) head.writeUInt32LE(offset, 42);
      return Buffer.concat([head, name]);
    };
    const local = Buffer.concat([header(false), file.raw]);
    locals.push(local);
    centrals.push(header(true));
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const deflated = (name: string, text: string) => {
  const bytes = Buffer.from(text, "utf8");
  return { name, raw: deflateRawSync(bytes), size: bytes.length, crc: crc32(bytes) };
};

/** An XLSX's parts around one sheet (no styles, no shared strings: numbers and inline strings). */
function xlsxAround(sheet: { raw: Buffer; size: number; crc: number }): Buffer {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  return zipOf([
    deflated(
      "[Content_Types].xml",
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    deflated(
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    deflated(
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8"?><workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="Dossiers" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    deflated(
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
    { name: "xl/worksheets/sheet1.xml", ...sheet },
  ]);
}

const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_TAIL = "</sheetData></worksheet>";

/**
 * A decompression bomb shaped as an XLSX: `rows` rows of `cellsPerRow` cells `<c><v>1</v></c>` (no
 * references), a few hundred KB that unpack to `rows` × ~15 × `cellsPerRow` bytes. Built from one
 * deflated block of rows repeated (each block ends on a full flush: independent, byte-aligned).
 */
export function anXlsxBomb(rows: number, cellsPerRow: number): Buffer {
  const block = 1000;
  const rowXml = `<row>${"<c><v>1</v></c>".repeat(cellsPerRow)}</row>`;
  const blockText = Buffer.from(rowXml.repeat(block));
  const flush = { finishFlush: zlibConstants.Z_FULL_FLUSH };
  const head = Buffer.from(SHEET_HEAD);
  const tail = Buffer.from(SHEET_TAIL);
  const blockRaw = deflateRawSync(blockText, flush);
  const parts = [deflateRawSync(head, flush)];
  let crc = crc32(head);
  const repeats = Math.ceil(rows / block);
  for (let i = 0; i < repeats; i++) {
    parts.push(blockRaw);
    crc = crc32(blockText, crc);
  }
  parts.push(deflateRawSync(tail));
  crc = crc32(tail, crc);
  const size = head.length + repeats * blockText.length + tail.length;
  return xlsxAround({ raw: Buffer.concat(parts), size, crc });
}

/**
 * A plain XLSX of `rows` caseload rows (inline strings, with cell references) after a header row.
 * `claimedSize`: the sheet's size its zip headers announce (a forged archive), its real one otherwise.
 * `thenGarbage`: the rows are followed by text that is not XML (a reader that reads on fails).
 */
export function aLongXlsx(
  rows: number,
  options: { claimedSize?: number; thenGarbage?: boolean } = {},
): Buffer {
  const col = ["A", "B", "C"];
  const cells = (r: number, values: string[]) =>
    values.map((v, i) => `<c r="${col[i]}${r}" t="inlineStr"><is><t>${v}</t></is></c>`).join("");
  const lines = [`<row r="1">${cells(1, ["N° dossier", "NOM", "Prénom"])}</row>`];
  for (let r = 2; r <= rows + 1; r++)
    lines.push(`<row r="${r}">${cells(r, [`L-${r}`, "DURAND", "Zoé"])}</row>`);
  if (options.thenGarbage) lines.push("<<< pas du XML >>>".repeat(1000));
  const sheet = deflated("xl/worksheets/sheet1.xml", SHEET_HEAD + lines.join("") + SHEET_TAIL);
  return xlsxAround({ ...sheet, size: options.claimedSize ?? sheet.size });
}
