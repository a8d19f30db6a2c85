import { eq } from "drizzle-orm";
import { parisDay } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import {
  type ImportMapping,
  type ImportPreview,
  importFields,
  type RowIssue,
} from "../../../../common/imports/imports.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { Turns } from "../../../core/turns";
import type { Db } from "../../../db/createDb";
import { caseloadImport, importMapping } from "../../../db/schema";
import {
  detentionSiteFinder,
  type ImportRow,
  loadImport,
  referentColumnRequired,
  referentFinder,
  rowsBetween,
} from "../access";
import {
  type ExistingPerson,
  identityKey,
  identityMatches,
  peopleBySourceNumber,
  visibleAmong,
} from "../matching";
import {
  checkRow,
  type DetentionSiteFinder,
  type ImportRecord,
  type ReferentFinder,
  type RowCheck,
  rowValues,
} from "../rules";

const PREVIEW_ROWS = 10;
const LISTED_ISSUES = 1000;
const LISTED_DUPLICATES = 1000;

export interface CheckedRow extends RowCheck {
  position: number;
  line: number;
}

/**
 * Every row checked with the field rules; a source number seen on an earlier line of the file is
 * an error on the later ones (`seen` carries the numbers of earlier batches: number → line).
 */
export async function checkRows(
  rows: readonly { position: number; line: number; cells: string[] | null }[],
  imported: Pick<ImportRow, "headers">,
  mapping: ImportMapping,
  finders: { referent: ReferentFinder; sites: DetentionSiteFinder },
  today: string,
  seen = new Map<string, number>(),
  turns = new Turns(),
): Promise<CheckedRow[]> {
  const checked: CheckedRow[] = [];
  for (const row of rows) {
    const check = checkRow(
      rowValues(row.cells ?? [], imported.headers, mapping),
      finders.referent,
      today,
      finders.sites,
    );
    const number = check.values.sourceNumber;
    const earlier = seen.get(number);
    if (number !== "" && earlier !== undefined) {
      check.errors.push({
        field: "sourceNumber",
        message: `Ce numéro de dossier figure déjà ligne ${earlier} du fichier.`,
      });
      check.record = null;
    } else if (number !== "") seen.set(number, row.line);
    checked.push({ ...check, position: row.position, line: row.line });
    // 50,000 rows take seconds to check: other requests are answered meanwhile.
    if (turns.due()) await turns.pass();
  }
  return checked;
}

function assertColumnsExist(mapping: ImportMapping, headers: readonly string[]): void {
  const missing = importFields.filter((f) => mapping[f] !== "" && !headers.includes(mapping[f]));
  if (missing.length > 0)
    throw errors.request.invalid(
      missing.map((f) => ({
        path: `body.mapping.${f}`,
        message: "Cette colonne n'est pas dans le fichier.",
      })),
    );
}

/** Rows read per query: on PGlite (in this process) a query holds the event loop while it runs. */
const READ_PAGE = 1000;

/** The import's rows in file order, read a page at a time, other requests answered in between. */
async function storedRows(tx: Db, importId: string, rowCount: number, turns: Turns) {
  const rows: { position: number; line: number; cells: string[] | null }[] = [];
  for (let from = 0; from < rowCount; from += READ_PAGE) {
    rows.push(...(await rowsBetween(tx, importId, from, READ_PAGE)));
    await turns.pass();
  }
  return rows;
}

async function saveMapping(tx: Db, ctx: RequestContext, imported: ImportRow, mapping: ImportMapping) {
  await tx.update(caseloadImport).set({ mapping }).where(eq(caseloadImport.id, imported.id));
  await tx
    .insert(importMapping)
    .values({ structureId: imported.structureId, mapping, updatedBy: ctx.actor.userId })
    .onConflictDoUpdate({
      target: importMapping.structureId,
      set: { mapping, updatedBy: ctx.actor.userId, updatedAt: ctx.clock.now() },
    });
}

async function duplicatesOf(
  db: Db,
  ctx: RequestContext,
  structureId: string,
  records: (ImportRecord & { line: number })[],
): Promise<ImportPreview["duplicates"]> {
  const matches = await identityMatches(db, structureId, records);
  const duplicates: { record: ImportRecord & { line: number }; existing: ExistingPerson }[] = [];
  const turns = new Turns();
  for (const record of records) {
    const existing = matches.get(identityKey(record));
    if (existing) duplicates.push({ record, existing });
    if (turns.due()) await turns.pass();
  }
  const visible = await visibleAmong(
    db,
    ctx.actor,
    duplicates.map((d) => d.existing.id),
  );
  return duplicates.slice(0, LISTED_DUPLICATES).map(({ record, existing }) => ({
    line: record.line,
    fileName: `${record.lastName.toUpperCase()} ${record.firstName}`,
    birthDate: record.birthDate,
    existing: visible.has(existing.id)
      ? {
          id: existing.id,
          name: `${existing.lastName.toUpperCase()} ${existing.firstName}`,
          fileNumber: existing.fileNumber,
        }
      : null,
  }));
}

/**
 * Checks the whole file with the chosen mapping (saved for the structure): the first rows as read,
 * every row's errors with its line, the rows already imported, and the possible duplicates.
 *
 * Three steps, not one transaction: the mapping saved (short), the file read and checked page by
 * page (reads only: a large file takes a second or more, and on PGlite, one transaction at a time,
 * a transaction that long would make every other request wait for it), then the journal row
 * (short). The rows of an uploaded import never change, so the reads need no snapshot.
 */
export async function previewImport(
  deps: Deps,
  ctx: RequestContext,
  importId: string,
  mapping: ImportMapping,
): Promise<ImportPreview> {
  const imported = await deps.db.transaction(async (tx) => {
    const locked = await loadImport(tx, ctx, importId, true);
    if (locked.finishedAt || locked.processed > 0) throw errors.imports.finished();
    assertColumnsExist(mapping, locked.headers);
    // Every row would be refused for want of a referent: said once, on the column, before any check.
    if (mapping.referent === "" && (await referentColumnRequired(tx, ctx, locked.structureId)))
      throw errors.request.invalid([
        {
          path: "body.mapping.referent",
          message:
            "Choisissez la colonne du CPIP référent : vous n'êtes pas CPIP de la structure, chaque dossier doit en nommer un.",
        },
      ]);
    await saveMapping(tx, ctx, locked, mapping);
    return locked;
  });
  const preview = await checkedPreview(deps.db, ctx, imported, mapping);
  await deps.db.transaction(async (tx) => {
    // The preview shows the file's rows: journaled like any answer carrying people's data.
    await journalFor(tx, ctx, {
      action: "caseload_import.previewed",
      targetType: "caseload_import",
      targetId: importId,
      structureId: imported.structureId,
      reason: `fichier « ${imported.fileName} » : ${preview.rowCount} lignes, ${preview.errorCount} en erreur`,
    });
  });
  return preview;
}

async function checkedPreview(
  db: Db,
  ctx: RequestContext,
  imported: ImportRow,
  mapping: ImportMapping,
): Promise<ImportPreview> {
  const turns = new Turns();
  const rows = await storedRows(db, imported.id, imported.rowCount, turns);
  const finders = {
    referent: await referentFinder(db, ctx, imported.structureId),
    sites: await detentionSiteFinder(db, imported.structureId),
  };
  const checked = await checkRows(
    rows,
    imported,
    mapping,
    finders,
    parisDay(ctx.clock.now()),
    new Map(),
    turns,
  );
  const valid: (ImportRecord & { line: number })[] = [];
  for (const c of checked) {
    if (c.record) valid.push({ ...c.record, line: c.line });
    if (turns.due()) await turns.pass();
  }
  const already = await peopleBySourceNumber(
    db,
    imported.structureId,
    valid.map((r) => r.sourceNumber),
  );
  const issues: RowIssue[] = checked.flatMap((c) => c.errors.map((e) => ({ line: c.line, ...e })));
  return {
    rowCount: rows.length,
    validCount: valid.length,
    errorCount: checked.length - valid.length,
    alreadyImportedCount: valid.filter((r) => already.has(r.sourceNumber)).length,
    rows: checked.slice(0, PREVIEW_ROWS).map((c) => ({ line: c.line, values: c.values, errors: c.errors })),
    issues: issues.slice(0, LISTED_ISSUES),
    duplicates: await duplicatesOf(
      db,
      ctx,
      imported.structureId,
      valid.filter((r) => !already.has(r.sourceNumber)),
    ),
  };
}
