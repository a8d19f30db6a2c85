/**
 * `npm run db:backup -- <file>` / `npm run db:restore -- <file>` (compiled: `node dist/server/db.js
 * backup|restore <file>`): the database of the configuration (DATABASE_URL, else PGlite in
 * DATA_DIR). See db/backup.ts and the README's "Sauvegardes" section.
 */
import path from "node:path";
import { commandFile } from "./core/commandFiles";
import { ConfigError, loadConfig } from "./core/config";
import { BackupError, type BackupTarget, backupDatabase, restoreDatabase } from "./db/backup";
import { DataDirError } from "./db/dataDirLock";

const usage = [
  "Usage : npm run db:backup -- <fichier>   ou   npm run db:restore -- <fichier>",
  "        (là où seul dist/ est déployé : node dist/server/db.js backup|restore <fichier>)",
].join("\n");

async function main(argv: string[]): Promise<void> {
  const [command, named] = argv;
  if ((command !== "backup" && command !== "restore") || !named) throw new BackupError(usage);
  const file = commandFile(named);
  // Only the database settings matter here: the server's other requirements (SMTP...) do not.
  const config = loadConfig({ ...process.env, NODE_ENV: "development", PUBLIC_URL: undefined });
  const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
  const target: BackupTarget = url ? { driver: "pg", url } : { driver: "pglite", dataDir: config.DATA_DIR };
  const where = target.driver === "pg" ? "PostgreSQL" : `PGlite (${path.resolve(config.DATA_DIR)})`;
  const started = Date.now();
  if (command === "backup") await backupDatabase(target, file);
  else await restoreDatabase(target, file);
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(
    command === "backup"
      ? `Sauvegarde de ${where} écrite dans ${file} (${took})`
      : `${where} restaurée depuis ${file} (${took})`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof BackupError || error instanceof DataDirError || error instanceof ConfigError;
  console.error(known ? (error as Error).message : error);
  process.exit(1);
});
