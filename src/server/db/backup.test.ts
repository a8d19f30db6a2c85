import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerDatabase, serverDatabase } from "../testing/spawnedServer";
import { BackupError, backupDatabase, restoreDatabase } from "./backup";
import { changeSomething, tableCounts } from "./backup.testing";
import { DataDirBusyError } from "./dataDirLock";

/** PGlite mode (DATA_DIR): `npm run db:backup` / `db:restore`. PostgreSQL: backup.pg.test.ts. */
describe("backup and restore of the embedded database", () => {
  let database: ServerDatabase;
  let files: string;
  beforeAll(async () => {
    database = await serverDatabase("pglite");
    files = mkdtempSync(path.join(tmpdir(), "passerelle-backup-"));
  });
  afterAll(async () => {
    await database.drop();
    rmSync(files, { recursive: true, force: true });
  });
  const target = () => ({ driver: "pglite" as const, dataDir: database.env.DATA_DIR! });

  it("writes a file only its owner reads, and gives back, after changes and deletions, the counts of every table at backup time", async () => {
    const before = await tableCounts(database);
    expect(before.person).toBeGreaterThan(10);
    const file = path.join(files, "sauvegarde.tar.gz");
    // A previous backup left readable by all is narrowed too: the file holds criminal-justice data.
    writeFileSync(file, "", { mode: 0o644 });
    await backupDatabase(target(), file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await changeSomething(database);
    expect(await tableCounts(database)).not.toEqual(before);
    await restoreDatabase(target(), file);
    expect(await tableCounts(database)).toEqual(before);
    // A whole database archived and unpacked twice: 10 s alone, over 20 s on a loaded CI machine.
  }, 60_000);

  it("refuses while another process holds the data directory (a running server)", async () => {
    const holder = spawn("sleep", ["30"]);
    writeFileSync(path.join(target().dataDir, "passerelle.pid"), String(holder.pid));
    try {
      await expect(backupDatabase(target(), path.join(files, "x.tar.gz"))).rejects.toThrow(DataDirBusyError);
      await expect(restoreDatabase(target(), path.join(files, "sauvegarde.tar.gz"))).rejects.toThrow(
        /utilisée par le processus/,
      );
    } finally {
      holder.kill();
    }
  });

  it("refuses a missing or foreign file, and leaves the current database as it was", async () => {
    const before = await tableCounts(database);
    await expect(restoreDatabase(target(), path.join(files, "absent.tar.gz"))).rejects.toThrow(BackupError);
    const foreign = path.join(files, "autre.tar.gz");
    writeFileSync(foreign, "ceci n'est pas une sauvegarde");
    await expect(restoreDatabase(target(), foreign)).rejects.toThrow(BackupError);
    expect(await tableCounts(database)).toEqual(before);
  });
});
