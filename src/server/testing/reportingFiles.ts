/**
 * The tables export (CSV, XLSX) and the committee report say what the dashboard says, figure by
 * figure and cell by cell, for the reader who asks: shared by the ground-truth tests.
 */
import ExcelJS from "exceljs";
import { expect } from "vitest";
import { type Dashboard, formatValue, type ValueKind } from "../../common/reporting/reporting.schema";
import { withUnit } from "../domains/reporting/files";
import { pdfText } from "./pdfText";
import type { TestApp } from "./testApp";

export const formatted = (value: number | null, kind: ValueKind) =>
  formatValue(value, kind).replace(/\u00a0/g, " ");
export const plain = (text: string) => text.replace(/\u00a0/g, " ");
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every figure and table cell of the dashboard as the reader sees it, in the tables export (CSV and XLSX). */
export async function expectFilesAgree(t: TestApp, email: string, query: string): Promise<Dashboard> {
  const call = async (url: string) => {
    const response = await t.app.inject({ method: "GET", url, headers: await t.sessionFor(email) });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    return response;
  };
  const d: Dashboard = (await call(`/api/reporting/dashboard?${query}`)).json();
  const xlsx = await call(`/api/reporting/export?${query}&format=xlsx&table=all`);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const sheetRows = new Map<string, Map<string, unknown[]>>();
  book.eachSheet((ws) => {
    const rows = new Map<string, unknown[]>();
    ws.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.set(String(values[0]), values.slice(1));
    });
    sheetRows.set(String(ws.getRow(1).getCell(1).value), rows);
  });
  const csv = plain((await call(`/api/reporting/export?${query}&format=csv&table=all`)).body);
  // Hours read "27 h 30" in a CSV, and are a duration (a fraction of a day) in a workbook (outside review).
  const csvNumber = (v: number | null, kind: ValueKind) =>
    v === null || kind === "hours" ? formatted(v, kind) : String(v).replace(".", ",");
  const xlsxValue = (v: number | null, kind: ValueKind) => (v === null ? formatted(null, kind) : String(v));
  // exceljs reads a duration back as a date from 30 December 1899: its hours, to the minute.
  const read = (v: unknown) =>
    v instanceof Date
      ? String(Math.round((v.getTime() - Date.UTC(1899, 11, 30)) / 60_000) / 60)
      : plain(String(v));
  const key = sheetRows.get("Chiffres clés")!;
  for (const f of d.figures) {
    const label = withUnit(f.label, f.kind);
    expect(read(key.get(label)?.[0]), `XLSX ${f.id}`).toBe(xlsxValue(f.value, f.kind));
    expect(csv, `CSV ${f.id}`).toMatch(
      new RegExp(`\n${literal(label)};${literal(csvNumber(f.value, f.kind))}[;\r]`),
    );
  }
  for (const table of d.tables) {
    const rows = sheetRows.get(table.title)!;
    expect(rows, table.title).toBeDefined();
    for (const r of table.rows) {
      const kinds = table.columns.map((c) => c.kind);
      expect(rows.get(r.label)?.map(read), `XLSX ${table.id} / ${r.label}`).toEqual(
        r.values.map((v, i) => xlsxValue(v, kinds[i]!)),
      );
      expect(csv, `CSV ${table.id} / ${r.label}`).toContain(
        `\n${r.label};${r.values.map((v, i) => csvNumber(v, kinds[i]!)).join(";")}\r`,
      );
    }
  }
  // The committee report prints each figure under its label.
  const pdf = plain(pdfText((await call(`/api/reporting/report?${query}`)).rawPayload));
  // A long label wraps in its card: read with its line breaks as spaces, the value on the next line.
  const pdfWords = pdf.replace(/[ \t]*\n(?!\d|non significatif|< 5)/g, " ");
  for (const f of d.figures)
    expect(pdfWords, `PDF ${f.id}`).toContain(`${f.label}\n${formatted(f.value, f.kind)}`);
  // The summary says the hours as the figure does (a prison's, not the label's, are said apart).
  const held = d.figures.find((f) => f.id === "heldOpeningHours")!;
  if (!held.label.includes("non compté pour le label"))
    expect(plain(d.summary.join(" "))).toContain(`${formatted(held.value, "hours")} d'ouverture`);
  return d;
}
