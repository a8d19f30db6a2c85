/**
 * Import of an existing caseload (issue 13, ADR 0025): the column mapping each structure keeps, and
 * the imports in progress. An import's rows (the file's cells) stay on the server between the steps
 * (mapping, preview, run) and are erased once the run is over; only each line's outcome remains.
 */
import { sql } from "drizzle-orm";
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ImportCounts, ImportMapping } from "../../common/imports/imports.schema";
import { person, structure, user } from "./schema";

/** The last mapping a structure used: proposed again when the next file has the same columns. */
export const importMapping = pgTable("import_mapping", {
  structureId: uuid("structure_id")
    .primaryKey()
    .references(() => structure.id),
  mapping: jsonb("mapping").$type<ImportMapping>().notNull(),
  updatedBy: uuid("updated_by")
    .notNull()
    .references(() => user.id),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const caseloadImport = pgTable("caseload_import", {
  id: uuid("id").primaryKey().defaultRandom(),
  structureId: uuid("structure_id")
    .notNull()
    .references(() => structure.id),
  createdBy: uuid("created_by")
    .notNull()
    .references(() => user.id),
  fileName: text("file_name").notNull(),
  headers: text("headers").array().notNull(),
  rowCount: integer("row_count").notNull(),
  /** Chosen at the preview; null before. */
  mapping: jsonb("mapping").$type<ImportMapping>(),
  /** How many rows the run has gone through (rows are taken in `position` order). */
  processed: integer("processed").notNull().default(0),
  counts: jsonb("counts")
    .$type<ImportCounts>()
    .notNull()
    .default(sql`'{"created":0,"merged":0,"skipped":0,"unchanged":0,"errors":0}'::jsonb`),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

export const caseloadImportRow = pgTable(
  "caseload_import_row",
  {
    importId: uuid("import_id")
      .notNull()
      .references(() => caseloadImport.id, { onDelete: "cascade" }),
    /** 0, 1, 2… in file order. */
    position: integer("position").notNull(),
    /** The line (CSV) or row (XLSX) number the agent sees in the file. */
    line: integer("line").notNull(),
    /** The file's cells; erased (null) once the row is imported. */
    cells: text("cells").array(),
    /** created, merged, skipped, unchanged, error — null until the run reaches the row. */
    outcome: text("outcome"),
    reason: text("reason").notNull().default(""),
    personId: uuid("person_id").references(() => person.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.importId, t.position] })],
);
