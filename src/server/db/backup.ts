/**
 * Backup and restore of the whole database (ADR 0026), in either mode:
 * - embedded PGlite (`DATA_DIR`): a gzipped tarball of the data directory (`dumpDataDir`), taken
 *   while no server runs on it (the directory's lock), so it is consistent; restored into a fresh
 *   directory swapped in place, the previous one kept beside it;
 * - PostgreSQL (`DATABASE_URL`): `pg_dump -Fc`, restored by `pg_restore --clean --if-exists` in a
 *   single transaction (all or nothing). Run as the tables' owner (MIGRATION_DATABASE_URL if set).
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { createDb, type DbHandle } from "./createDb";
import { lockDataDir } from "./dataDirLock";

export class BackupError extends Error {}

export type BackupTarget = { driver: "pglite"; dataDir: string } | { driver: "pg"; url: string };

/** The PGlite directory of a DATA_DIR (as the server opens it). */
export const pgliteDirOf = (dataDir: string): string => path.resolve(dataDir, "pglite");

/**
 * The backup file, readable by its owner only (criminal-justice data): created so before anything
 * is written in it, whatever the umask, and an existing file (a previous backup) narrowed too.
 */
function privateFile(file: string): void {
  closeSync(openSync(file, "w", 0o600));
  chmodSync(file, 0o600);
}

export async function backupDatabase(target: BackupTarget, file: string): Promise<void> {
  if (target.driver === "pg") {
    privateFile(file);
    runPgTool("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`], target.url);
    return;
  }
  const dir = pgliteDirOf(target.dataDir);
  if (!existsSync(path.join(dir, "PG_VERSION")))
    throw new BackupError(`Aucune base intégrée dans ${dir} / no embedded database there`);
  const release = lockDataDir(path.resolve(target.dataDir));
  try {
    const db = await createDb({ driver: "pglite", dataDir: dir });
    try {
      const dump = await db.pglite!.dumpDataDir("gzip");
      privateFile(file);
      writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await db.close();
    }
  } finally {
    release();
  }
}

export async function restoreDatabase(target: BackupTarget, file: string): Promise<void> {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new BackupError(`Fichier de sauvegarde introuvable : ${file} / backup file not found`);
  if (target.driver === "pg") {
    runPgTool(
      "pg_restore",
      ["--clean", "--if-exists", "--no-owner", "--single-transaction", file],
      target.url,
    );
    return;
  }
  const release = lockDataDir(path.resolve(target.dataDir));
  try {
    const dir = pgliteDirOf(target.dataDir);
    const fresh = `${dir}.restoring`;
    rmSync(fresh, { recursive: true, force: true });
    // Loaded and checked in a fresh directory: a bad file leaves the current database untouched.
    if (!(await loadsAsPasserelle(fresh, new Blob([readFileSync(file)])))) {
      rmSync(fresh, { recursive: true, force: true });
      throw new BackupError(`${file} n'est pas une sauvegarde de Passerelle / not a Passerelle backup`);
    }
    if (existsSync(dir))
      renameSync(dir, `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    renameSync(fresh, dir);
  } finally {
    release();
  }
}

/** Loads a tarball into `dir`; true when it opens as a migrated Passerelle database. */
async function loadsAsPasserelle(dir: string, tarball: Blob): Promise<boolean> {
  let db: DbHandle;
  try {
    db = await createDb({ driver: "pglite", dataDir: dir, loadDataDir: tarball });
  } catch {
    return false;
  }
  try {
    await db.pglite!.query("select 1 from drizzle.__drizzle_migrations limit 1");
    return true;
  } catch {
    return false;
  } finally {
    await db.close();
  }
}

/** Runs pg_dump or pg_restore; a missing binary or a failure is a BackupError in French and English. */
function runPgTool(tool: "pg_dump" | "pg_restore", args: string[], url: string): void {
  // The password goes through the environment, not the command line other local users can read.
  const withoutPassword = new URL(url);
  const password = decodeURIComponent(withoutPassword.password);
  withoutPassword.password = "";
  const result = spawnSync(tool, [...args, `--dbname=${withoutPassword.href}`], {
    stdio: ["ignore", "inherit", "pipe"],
    encoding: "utf8",
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT")
    throw new BackupError(
      `${tool} est introuvable : installez les outils clients de PostgreSQL (paquet postgresql-client), de la même version majeure que le serveur ou plus récente. / ${tool} not found: install the PostgreSQL client tools.`,
    );
  if (result.error) throw new BackupError(`${tool} : ${result.error.message}`);
  if (result.status !== 0)
    throw new BackupError(`${tool} a échoué / failed (code ${result.status}) :\n${result.stderr.trim()}`);
}
