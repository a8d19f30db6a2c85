/**
 * `npm run documents:rotate` (compiled: `node dist/server/rotate.js`): re-encrypts under the first
 * key of DOCUMENT_KEYS every stored file still under an older key, with progress counts (README,
 * section "Documents"). The database of the configuration (DATABASE_URL, as MIGRATION_DATABASE_URL
 * when set, else PGlite in DATA_DIR, which must not be in use by a server).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { type Config, ConfigError, loadConfig } from "./core/config";
import { documentKeyring } from "./core/fileStore";
import { pgliteDirOf } from "./db/backup";
import { createDb, type DbHandle } from "./db/createDb";
import { DataDirError, lockDataDir } from "./db/dataDirLock";
import { DatabaseUnreachableError, unreachable } from "./db/unreachable";
import { rotateStoredFiles } from "./domains/documents/rotate";

interface Output {
  log(line: string): void;
  error(line: string): void;
}

async function open(config: Config): Promise<DbHandle> {
  const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
  if (url) {
    const db = await createDb({ driver: "pg", url, poolSize: 2 });
    try {
      await db.db.execute(sql`select 1`);
    } catch (error) {
      await db.close();
      throw unreachable(
        error,
        url,
        config.MIGRATION_DATABASE_URL ? "MIGRATION_DATABASE_URL" : "DATABASE_URL",
      );
    }
    return db;
  }
  const release = lockDataDir(path.resolve(config.DATA_DIR));
  try {
    const dir = pgliteDirOf(config.DATA_DIR);
    mkdirSync(dir, { recursive: true });
    const db = await createDb({ driver: "pglite", dataDir: dir });
    return { ...db, close: () => db.close().finally(release) };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Runs the rotation; returns the exit code. Only the database settings and DOCUMENT_KEYS matter:
 * the server's other requirements (SMTP_URL, PUBLIC_URL) do not. DOCUMENT_KEYS is required
 * whatever NODE_ENV says: without it the development key would be the target, and a production
 * database rotated from a shell that forgot the variable would end up under a published key.
 */
export async function runRotateCommand(
  env: NodeJS.ProcessEnv = process.env,
  out: Output = { log: (l) => console.log(l), error: (l) => console.error(l) },
): Promise<number> {
  try {
    const config = loadConfig({ ...env, NODE_ENV: "development", PUBLIC_URL: undefined });
    if (!config.DOCUMENT_KEYS)
      throw new ConfigError(
        "Configuration invalide / invalid configuration:\n" +
          "  - DOCUMENT_KEYS: obligatoire pour rechiffrer les documents : les clés du serveur, la nouvelle en premier (absente / missing)",
      );
    const keyring = documentKeyring(config);
    const db = await open(config);
    try {
      const started = Date.now();
      out.log(
        `Clé courante : ${keyring.current.id} ; clés acceptées : ${[...keyring.keys.keys()].join(", ")}`,
      );
      const result = await rotateStoredFiles(db.db, keyring, (p) =>
        out.log(`${p.done} / ${p.total} fichiers rechiffrés`),
      );
      out.log(
        `Terminé : ${result.done} fichier(s) rechiffré(s) sous la clé ${keyring.current.id} en ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
          "Les anciennes clés peuvent être retirées de DOCUMENT_KEYS une fois les sauvegardes antérieures expirées.",
      );
      return 0;
    } finally {
      await db.close();
    }
  } catch (error) {
    const known =
      error instanceof ConfigError ||
      error instanceof DataDirError ||
      error instanceof DatabaseUnreachableError;
    out.error(known ? (error as Error).message : String((error as Error)?.stack ?? error));
    return 1;
  }
}

const isEntryPoint = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  runRotateCommand().then((code) => process.exit(code));
}
