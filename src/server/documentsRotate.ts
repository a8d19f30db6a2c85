/**
 * `npm run documents:rotate`: re-encrypts under the first key of DOCUMENT_KEYS every stored file
 * still under an older key, with progress counts (README, section "Documents"). The database of the
 * configuration (DATABASE_URL, else PGlite in DATA_DIR, which must not be in use by a server).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "./core/config";
import { documentKeyring } from "./core/fileStore";
import { pgliteDirOf } from "./db/backup";
import { createDb, type DbHandle } from "./db/createDb";
import { DataDirBusyError, lockDataDir } from "./db/dataDirLock";
import { rotateStoredFiles } from "./domains/documents/rotate";

async function open(config: ReturnType<typeof loadConfig>): Promise<DbHandle> {
  const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
  if (url) return createDb({ driver: "pg", url, poolSize: 2 });
  const release = lockDataDir(path.resolve(config.DATA_DIR));
  const dir = pgliteDirOf(config.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  const db = await createDb({ driver: "pglite", dataDir: dir });
  return { ...db, close: () => db.close().finally(release) };
}

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? "development",
    PUBLIC_URL: undefined,
  });
  const keyring = documentKeyring(config);
  const db = await open(config);
  try {
    const started = Date.now();
    console.log(
      `Clé courante : ${keyring.current.id} ; clés acceptées : ${[...keyring.keys.keys()].join(", ")}`,
    );
    const result = await rotateStoredFiles(db.db, keyring, (p) =>
      console.log(`${p.done} / ${p.total} fichiers rechiffrés`),
    );
    console.log(
      `Terminé : ${result.done} fichier(s) rechiffré(s) sous la clé ${keyring.current.id} en ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
        "Les anciennes clés peuvent être retirées de DOCUMENT_KEYS une fois les sauvegardes antérieures expirées.",
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DataDirBusyError;
  console.error(known ? (error as Error).message : error);
  process.exit(1);
});
