import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle, type PgliteDatabase } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { pgliteExtensions } from "../db/createDb";

const migrationsFolder = join(import.meta.dirname, "..", "db", "migrations");

/** A copy of the migrations that stops just before the one tagged `tag`. */
function migrationsBefore(tag: string): string {
  const folder = mkdtempSync(join(tmpdir(), "migrations-"));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
    entries: { idx: number; tag: string }[];
  };
  const upTo = journal.entries.findIndex((e) => e.tag === tag);
  if (upTo <= 0) throw new Error(`no migration before ${tag}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
  return folder;
}

/**
 * A PGlite database migrated up to, not including, the migration `tag`, so that a test can fill it
 * as an earlier version left it and then run the migration; `close` removes everything.
 */
export async function databaseBefore(
  tag: string,
): Promise<{ client: PGlite; db: PgliteDatabase; close: () => Promise<void> }> {
  const client = await PGlite.create({ extensions: pgliteExtensions });
  const before = migrationsBefore(tag);
  const db = drizzle(client);
  await migrate(db, { migrationsFolder: before });
  return {
    client,
    db,
    close: async () => {
      await client.close();
      rmSync(before, { recursive: true, force: true });
    },
  };
}

export { migrationsFolder };
