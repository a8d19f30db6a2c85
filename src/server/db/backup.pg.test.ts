import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerDatabase, serverDatabase } from "../testing/spawnedServer";
import { backupDatabase, restoreDatabase } from "./backup";
import { changeSomething, tableCounts } from "./backup.testing";

/** PostgreSQL mode: pg_dump -Fc, then pg_restore --clean --if-exists in one transaction. */
describe("backup and restore of a PostgreSQL database", () => {
  let database: ServerDatabase;
  let files: string;
  beforeAll(async () => {
    database = await serverDatabase("pg");
    files = mkdtempSync(path.join(tmpdir(), "passerelle-backup-"));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(files, { recursive: true, force: true });
  });

  it("writes a file only its owner reads, and gives back, after changes and deletions, the counts of every table at backup time", async () => {
    const target = { driver: "pg" as const, url: database.env.MIGRATION_DATABASE_URL! };
    const before = await tableCounts(database);
    expect(before.person).toBeGreaterThan(10);
    const file = path.join(files, "sauvegarde.dump");
    // A previous backup left readable by all is narrowed too: the file holds criminal-justice data.
    writeFileSync(file, "", { mode: 0o644 });
    await backupDatabase(target, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await changeSomething(database);
    expect(await tableCounts(database)).not.toEqual(before);
    await restoreDatabase(target, file);
    expect(await tableCounts(database)).toEqual(before);
  });
});
