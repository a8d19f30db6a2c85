import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "../db/createDb";
import { aStructure } from "../testing/builders";
import { databaseBefore, migrationsFolder } from "../testing/migrationsBefore";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("names read alike on an existing database (0056)", () => {
  it("renames every twin but the first so that the indexes can be built, then refuses new twins", async () => {
    const { client, db: raw, close } = await databaseBefore("0056_names_read_alike");
    cleanups.push(close);
    const { structure } = await aStructure(raw as unknown as Db);
    const { structure: other } = await aStructure(raw as unknown as Db);
    await client.query(
      `INSERT INTO partner (code, name, kind) VALUES
         ('caf-a', 'CAF  Nord', 'association'), ('caf-b', ' caf nord', 'association'), ('caf-c', 'Autre', 'association')`,
    );
    await client.query(
      `INSERT INTO directory_entry (structure_id, name, kind, created_at) VALUES
         ($1, 'Mission locale', 'mission_locale', '2026-01-01'),
         ($1, 'MISSION  locale ', 'mission_locale', '2026-02-01'),
         ($1, 'mission locale', 'mission_locale', '2026-03-01'),
         ($2, 'Mission locale', 'mission_locale', '2026-01-01')`,
      [structure.id, other.id],
    );

    await migrate(raw, { migrationsFolder });

    const partners = await client.query<{ code: string; name: string }>(
      "SELECT code, name FROM partner WHERE code LIKE 'caf-%' ORDER BY code",
    );
    expect(partners.rows).toEqual([
      { code: "caf-a", name: "CAF  Nord" },
      { code: "caf-b", name: " caf nord (doublon 2)" },
      { code: "caf-c", name: "Autre" },
    ]);
    const entries = await client.query<{ structure_id: string; name: string }>(
      "SELECT structure_id, name FROM directory_entry ORDER BY structure_id = $1 DESC, created_at",
      [structure.id],
    );
    expect(entries.rows).toEqual([
      { structure_id: structure.id, name: "Mission locale" },
      { structure_id: structure.id, name: "MISSION  locale  (doublon 2)" },
      { structure_id: structure.id, name: "mission locale (doublon 3)" },
      // Another structure's directory is its own.
      { structure_id: other.id, name: "Mission locale" },
    ]);
    await expect(
      client.query("INSERT INTO partner (code, name, kind) VALUES ('caf-d', 'caf   NORD', 'association')"),
    ).rejects.toMatchObject({ constraint: "partner_name_read_alike_uq" });
    await expect(
      client.query(
        "INSERT INTO directory_entry (structure_id, name, kind) VALUES ($1, ' Mission Locale', 'other')",
        [other.id],
      ),
    ).rejects.toMatchObject({ constraint: "directory_entry_name_read_alike_uq" });
  }, 60_000);
});
