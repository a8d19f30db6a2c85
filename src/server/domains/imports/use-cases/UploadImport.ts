import { and, eq, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import type { ImportMapping, UploadedImport } from "../../../../common/imports/imports.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { Turns } from "../../../core/turns";
import type { Db } from "../../../db/createDb";
import { caseloadImport, caseloadImportRow, importMapping } from "../../../db/schema";
import { assertMayImport, referentColumnRequired, UPLOADING } from "../access";
import { readTable } from "../fileReading";
import { guessMapping, mappingFits } from "../rules";

/** Rows per INSERT: on PGlite (in this process) each statement holds the event loop while it runs. */
const INSERT_CHUNK = 250;
const SAMPLE_ROWS = 5;
/** An import left unfinished this long has its cells erased (they are a copy of people's data). */
const ABANDONED_AFTER_MS = 24 * 3600 * 1000;

/** A file name as shown back: no folders, no control characters, 200 characters at most. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
  return (cleaned || "fichier").slice(0, 200);
}

async function proposedMapping(
  db: Db,
  structureId: string,
  headers: string[],
): Promise<{ mapping: ImportMapping; origin: "saved" | "guessed" }> {
  const [saved] = await db
    .select({ mapping: importMapping.mapping })
    .from(importMapping)
    .where(eq(importMapping.structureId, structureId));
  if (saved && mappingFits(saved.mapping, headers)) return { mapping: saved.mapping, origin: "saved" };
  return { mapping: guessMapping(headers), origin: "guessed" };
}

/** Erases the cells of the structure's imports abandoned for a day (personal data kept no longer). */
async function eraseAbandoned(db: Db, structureId: string, now: Date): Promise<void> {
  const abandoned = db
    .select({ id: caseloadImport.id })
    .from(caseloadImport)
    .where(
      and(
        eq(caseloadImport.structureId, structureId),
        isNull(caseloadImport.finishedAt),
        lt(caseloadImport.createdAt, new Date(now.getTime() - ABANDONED_AFTER_MS)),
      ),
    );
  await db
    .update(caseloadImportRow)
    .set({ cells: null })
    .where(and(inArray(caseloadImportRow.importId, abandoned), isNotNull(caseloadImportRow.cells)));
}

/** Rows written per transaction: on PGlite (one transaction at a time) other requests go in between. */
const ROWS_PER_TRANSACTION = 500;

/**
 * Reads an uploaded export (refused whole, nothing written, when it is not a readable table), keeps
 * its rows for the next steps, and proposes a mapping: the structure's last one when the columns
 * are the same, otherwise one guessed from the column names.
 *
 * The rows go in in several transactions, so a large file does not hold the embedded database
 * (one transaction at a time) for seconds: the import reads `rowCount` -1 ("being uploaded", not
 * found by `loadImport`) until the last one, which sets it and journals the upload. An upload that
 * fails half-way is erased; one cut by a crash is erased with the abandoned ones.
 */
export async function uploadImport(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  file: { fileName: string; bytes: Uint8Array },
): Promise<UploadedImport> {
  assertMayImport(ctx, structureId);
  const table = await readTable(file.bytes);
  const fileName = cleanFileName(file.fileName);
  const importId = await deps.db.transaction(async (tx) => {
    await eraseAbandoned(tx, structureId, ctx.clock.now());
    const [created] = await tx
      .insert(caseloadImport)
      .values({
        structureId,
        createdBy: ctx.actor.userId,
        fileName,
        headers: table.headers,
        rowCount: UPLOADING,
        createdAt: ctx.clock.now(),
      })
      .returning({ id: caseloadImport.id });
    return created!.id;
  });
  try {
    const turns = new Turns();
    for (let start = 0; start < table.rows.length; start += ROWS_PER_TRANSACTION) {
      await deps.db.transaction(async (tx) => {
        const end = Math.min(start + ROWS_PER_TRANSACTION, table.rows.length);
        for (let from = start; from < end; from += INSERT_CHUNK) {
          await tx.insert(caseloadImportRow).values(
            table.rows.slice(from, Math.min(from + INSERT_CHUNK, end)).map((row, i) => ({
              importId,
              position: from + i,
              line: row.line,
              cells: row.cells,
            })),
          );
          await turns.breathe();
        }
      });
      await turns.pass();
    }
    return await deps.db.transaction(async (tx) => {
      await tx
        .update(caseloadImport)
        .set({ rowCount: table.rows.length })
        .where(eq(caseloadImport.id, importId));
      await journalFor(tx, ctx, {
        action: "caseload_import.uploaded",
        targetType: "caseload_import",
        targetId: importId,
        structureId,
        reason: `fichier « ${fileName} » : ${table.rows.length} lignes`,
      });
      const proposed = await proposedMapping(tx, structureId, table.headers);
      return {
        importId,
        fileName,
        rowCount: table.rows.length,
        headers: table.headers,
        sample: table.rows.slice(0, SAMPLE_ROWS).map((r) => r.cells),
        mapping: proposed.mapping,
        mappingOrigin: proposed.origin,
        referentRequired: await referentColumnRequired(tx, ctx, structureId),
      };
    });
  } catch (error) {
    // Best effort: if the database is gone, the abandoned import's cells are erased within a day.
    await deps.db
      .delete(caseloadImport)
      .where(eq(caseloadImport.id, importId))
      .catch(() => undefined);
    throw error;
  }
}
