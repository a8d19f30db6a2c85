import { and, asc, eq, isNotNull } from "drizzle-orm";
import { parisDay } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import {
  type ImportCounts,
  type ImportProgress,
  type ImportSummary,
  importOutcomeLabels,
  importOutcomes,
  type RunBody,
} from "../../../../common/imports/imports.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { caseloadImport, caseloadImportRow } from "../../../db/schema";
import {
  detentionSiteFinder,
  type ImportRow,
  loadImport,
  referentFinder,
  rowRange,
  rowsBetween,
} from "../access";
import { inSlices, type LineOutcome, writeBatch } from "../writeBatch";
import { checkRows } from "./PreviewImport";

/** Rows written per request, in one transaction. */
export const IMPORT_BATCH = 500;
const LISTED_ERRORS = 1000;

function progressOf(imported: ImportRow): ImportProgress {
  return {
    processed: imported.processed,
    rowCount: imported.rowCount,
    done: imported.finishedAt !== null,
    counts: imported.counts,
  };
}

function added(counts: ImportCounts, outcomes: LineOutcome[]): ImportCounts {
  const n = (o: LineOutcome["outcome"]) => outcomes.filter((x) => x.outcome === o).length;
  return {
    created: counts.created + n("created"),
    merged: counts.merged + n("merged"),
    skipped: counts.skipped + n("skipped"),
    unchanged: counts.unchanged + n("unchanged"),
    errors: counts.errors + n("error"),
  };
}

/** "12 créés, 3 complétés, …": counts only, never a name. */
export function countsText(c: ImportCounts): string {
  return `${c.created} créés, ${c.merged} complétés, ${c.skipped} ignorés, ${c.unchanged} déjà importés, ${c.errors} en erreur`;
}

/**
 * Imports the next batch of rows in one transaction (the import row locked, so batches never
 * overlap): each row's outcome replaces its cells, which are not kept. The last batch journals the
 * import with its file name and counts. Called again once done, it only answers the progress.
 */
export async function runImportBatch(
  deps: Deps,
  ctx: RequestContext,
  importId: string,
  body: RunBody,
): Promise<ImportProgress> {
  return deps.db.transaction(async (tx) => {
    const imported = await loadImport(tx, ctx, importId, true);
    if (imported.finishedAt) return progressOf(imported);
    if (!imported.mapping) throw errors.imports.notPreviewed();
    const rows = await rowsBetween(tx, importId, imported.processed, IMPORT_BATCH);
    const finders = {
      referent: await referentFinder(tx, ctx, imported.structureId),
      sites: await detentionSiteFinder(tx, imported.structureId),
    };
    const checked = await checkRows(rows, imported, imported.mapping, finders, parisDay(ctx.clock.now()));
    const choices = new Map(body.choices.map((c) => [c.line, c.decision]));
    const outcomes = await writeBatch(
      tx,
      ctx,
      imported,
      checked,
      (line) => choices.get(line) ?? body.duplicates,
    );
    if (rows.length > 0) {
      await tx.delete(caseloadImportRow).where(rowRange(importId, imported.processed, IMPORT_BATCH));
      await inSlices(outcomes, async (slice) => {
        await tx.insert(caseloadImportRow).values(slice.map((o) => ({ importId, cells: null, ...o })));
      });
    }
    const processed = imported.processed + rows.length;
    const counts = added(imported.counts, outcomes);
    const done = processed >= imported.rowCount;
    await tx
      .update(caseloadImport)
      .set({ processed, counts, finishedAt: done ? ctx.clock.now() : null })
      .where(eq(caseloadImport.id, importId));
    if (done)
      await journalFor(tx, ctx, {
        action: "caseload_import.completed",
        targetType: "caseload_import",
        targetId: importId,
        structureId: imported.structureId,
        reason: `fichier « ${imported.fileName} » : ${imported.rowCount} lignes, ${countsText(counts)}`,
      });
    return { processed, rowCount: imported.rowCount, done, counts };
  });
}

/** Where an import stands, with its lines in error (line and reason, no cell of the file). */
export async function importSummary(
  deps: Deps,
  ctx: RequestContext,
  importId: string,
): Promise<ImportSummary> {
  const imported = await loadImport(deps.db, ctx, importId);
  const failed = await deps.db
    .select({ line: caseloadImportRow.line, reason: caseloadImportRow.reason })
    .from(caseloadImportRow)
    .where(and(eq(caseloadImportRow.importId, importId), eq(caseloadImportRow.outcome, "error")))
    .orderBy(asc(caseloadImportRow.position))
    .limit(LISTED_ERRORS);
  return { ...progressOf(imported), fileName: imported.fileName, errors: failed };
}

function csvCell(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report of every line (line, outcome, reason, file number), CSV with `;` for French spreadsheets. */
export async function importReport(
  deps: Deps,
  ctx: RequestContext,
  importId: string,
): Promise<{ filename: string; body: Uint8Array }> {
  const imported = await loadImport(deps.db, ctx, importId);
  const rows = await deps.db
    .select({
      line: caseloadImportRow.line,
      outcome: caseloadImportRow.outcome,
      reason: caseloadImportRow.reason,
    })
    .from(caseloadImportRow)
    .where(and(eq(caseloadImportRow.importId, importId), isNotNull(caseloadImportRow.outcome)))
    .orderBy(asc(caseloadImportRow.position));
  const label = (o: string | null) =>
    importOutcomes.find((x) => x === o) ? importOutcomeLabels[o as (typeof importOutcomes)[number]] : "";
  const lines = [
    "ligne;résultat;motif",
    ...rows.map((r) => [r.line, label(r.outcome), r.reason].map(csvCell).join(";")),
  ];
  return {
    // The day the agent imported, in Paris (an import after midnight is not named after the day before).
    filename: `bilan-import-${parisDay(imported.createdAt)}.csv`,
    body: new TextEncoder().encode(`\uFEFF${lines.join("\r\n")}\r\n`),
  };
}
