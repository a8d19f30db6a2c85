/** Spreadsheet files of the dashboard and of the lists: CSV (French Excel: `;`, BOM) and XLSX (exceljs). */
import ExcelJS from "exceljs";
import { formatHours, withPlainSpaces } from "../../../common/dateFormat";
import {
  filterNotes,
  metaOfTable,
  type NarrowingFilter,
  narrowingFilterLabels,
  narrowingFilters,
} from "../../../common/reporting/definitions";
import {
  type DashboardTable,
  type Figure,
  formatValue,
  type ValueKind,
} from "../../../common/reporting/reporting.schema";
import type { FilterOptions } from "./queries";

export interface Sheet {
  name: string;
  /** Lines written above the header (title, filters, purge date). */
  preamble: string[];
  header: string[];
  rows: (string | number | null)[][];
  kinds?: ValueKind[];
  /** The kind of each row's value (second column), for a sheet of figures of several kinds. */
  rowKinds?: ValueKind[];
}

/** The kind of the value at a row and column of a sheet: its column's, or its row's for the value column. */
const kindAt = (sheet: Sheet, row: number, column: number): ValueKind | undefined =>
  sheet.kinds?.[column] ?? (column === 1 ? sheet.rowKinds?.[row] : undefined);

/**
 * The unit a number of this kind is written in, said beside its label: "(%)", "(minutes)", "(jours)".
 * Hours have none: their value says "27 h 30", which no reader takes for 27 h 50 (outside review).
 */
const unitWords: Partial<Record<ValueKind, string>> = {
  percent: "(%)",
  days: "(jours)",
  minutes: "(minutes)",
  euros: "(euros)",
};

/** A label with the unit of its values, unless it already says it: "Taux d'absence (%)". */
export function withUnit(label: string, kind: ValueKind | undefined): string {
  const unit = kind ? unitWords[kind] : undefined;
  return unit && !label.endsWith(unit) ? `${label} ${unit}` : label;
}

/** Hours in a CSV cell: "27 h 30", as the page writes them (plain spaces). */
const hoursText = (hours: number): string => withPlainSpaces(formatHours(Math.round(hours * 60)));

/** Excel's format for a number of days shown as hours and minutes: "27 h 30". */
const HOURS_FORMAT = '[h]" h "mm';

export const CSV_TYPE = "text/csv; charset=utf-8";
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula is neutralised. */
const csvCell = (value: string | number | null, kind: ValueKind = "count"): string => {
  if (typeof value === "number") return kind === "hours" ? hoursText(value) : String(value).replace(".", ",");
  const raw = value === null ? formatValue(null, kind) : value;
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[";\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One sheet as CSV; a hidden count reads "< 5". */
export function toCsv(sheet: Sheet): Buffer {
  const lines = [
    ...sheet.preamble.map((line) => csvCell(line)),
    sheet.header.map((h) => csvCell(h)).join(";"),
    ...sheet.rows.map((row, r) => row.map((v, i) => csvCell(v, kindAt(sheet, r, i))).join(";")),
  ];
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

/** Words a name cut short should not end on ("… dans le", "… tenues par"). */
const danglingWords = /[\s,;:–-]+(?:(?:et|de|des|du|d'|par|aux|au|à|dans|le|la|les|en|sur)[\s,;:–-]*)*$/i;

/**
 * A sheet's tab name, 31 characters at most (Excel's limit), cut between words and without a
 * dangling word: "Autonomie numérique constatée" rather than "Autonomie numérique constatée a".
 */
export function sheetName(title: string): string {
  const clean = title
    .replace(/[*?:\\/[\]]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
  if (clean.length <= 31) return clean;
  const short = clean.replace(/\s*\(.*\)\s*$/, "");
  if (short.length <= 31) return short;
  const cut = short.slice(0, 32);
  const words = cut.slice(0, cut.lastIndexOf(" ")).replace(danglingWords, "");
  return words.length >= 12 ? words : short.slice(0, 31).trimEnd();
}

/** "Démarches par partenaire" → "demarches-par-partenaire": the words of a file's name, in French. */
export function fileWords(title: string): string {
  return title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\(.*\)/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Several sheets in one workbook; a hidden count reads "< 5". */
export async function toXlsx(sheets: Sheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Passerelle";
  const used = new Set<string>();
  for (const sheet of sheets) {
    let name = sheetName(sheet.name);
    for (let i = 2; used.has(name); i += 1) name = `${name.slice(0, 28)} ${i}`;
    used.add(name);
    const ws = workbook.addWorksheet(name);
    for (const line of sheet.preamble) ws.addRow([line]);
    if (sheet.preamble.length > 0) ws.addRow([]);
    ws.addRow(sheet.header).font = { bold: true };
    for (const [r, row] of sheet.rows.entries()) {
      const added = ws.addRow(
        row.map((v, i) => {
          const kind = kindAt(sheet, r, i);
          if (v === null) return formatValue(null, kind ?? "count");
          // Hours as a duration (a fraction of a day) shown "27 h 30": still a number to add up.
          return kind === "hours" && typeof v === "number" ? v / 24 : v;
        }),
      );
      row.forEach((v, i) => {
        if (kindAt(sheet, r, i) === "hours" && typeof v === "number")
          added.getCell(i + 1).numFmt = HOURS_FORMAT;
      });
    }
    ws.columns.forEach((column, i) => {
      column.width = i === 0 ? 45 : 18;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The site, partner and counselor chosen (their ids), as the dashboard's filters. */
export type ChosenFilters = Partial<Record<NarrowingFilter, string | undefined>>;

/** "Filtres : Site : Meaux ; Partenaire : CAF." — the filters chosen, by name; null without any. */
export function chosenWords(
  options: Pick<FilterOptions, "sites" | "partners" | "counselors">,
  chosen: ChosenFilters,
): string | null {
  const names: Record<NarrowingFilter, { id: string; name: string }[]> = {
    siteId: options.sites,
    partnerId: options.partners,
    counselorId: options.counselors,
  };
  const words = narrowingFilters
    .filter((f) => chosen[f])
    .map((f) => `${narrowingFilterLabels[f]} : ${names[f].find((o) => o.id === chosen[f])?.name ?? "?"}`);
  return words.length ? `Filtres : ${words.join(" ; ")}.` : null;
}

/** What a file's name says of the filters chosen: "-filtre-site-partenaire", or nothing. */
export function filteredName(chosen: ChosenFilters): string {
  const words = { siteId: "site", partnerId: "partenaire", counselorId: "conseiller" } as const;
  const chosenOnes = narrowingFilters.filter((f) => chosen[f]).map((f) => words[f]);
  return chosenOnes.length ? `-filtre-${chosenOnes.join("-")}` : "";
}

/** A dashboard table as a sheet: first column its row labels; below the title, the filters it ignores. */
export function tableSheet(table: DashboardTable, preamble: string[], chosen: ChosenFilters = {}): Sheet {
  return {
    name: table.title,
    preamble: [table.title, ...preamble, ...filterNotes(chosen, table, "table")],
    header: [metaOfTable(table.id).rows, ...table.columns.map((c) => withUnit(c.label, c.kind))],
    rows: table.rows.map((r) => [r.label, ...r.values]),
    kinds: ["count", ...table.columns.map((c) => c.kind)],
  };
}

/** The key figures; with filters chosen, a third column says which of them a figure ignores. */
export function figuresSheet(figures: Figure[], preamble: string[], chosen: ChosenFilters = {}): Sheet {
  const notes = figures.map((f) => filterNotes(chosen, f, "figure").join(" "));
  const noted = notes.some(Boolean);
  return {
    name: "Chiffres clés",
    preamble: ["Chiffres clés", ...preamble],
    header: ["Indicateur", "Valeur", ...(noted ? ["Filtres"] : [])],
    rowKinds: figures.map((f) => f.kind),
    rows: figures.map((f, i) => [
      withUnit(f.label, f.kind),
      f.value === null ? formatValue(null, f.kind) : f.value,
      ...(noted ? [notes[i] ?? ""] : []),
    ]),
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
    rowKinds: section.figures.map((f) => f.kind),
    rows: section.figures.map((f) => [
      withUnit(f.label, f.kind),
      f.value === null ? formatValue(null, f.kind) : f.value,
      f.definition,
    ]),
  };
}
