/**
 * One process at a time on a PGlite data directory (ADR 0026): the server, or a backup or restore
 * command. Each writes its process id in `<dir>/passerelle.pid` while it works; a file left by a
 * process that no longer exists (a crash) is taken over.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export class DataDirBusyError extends Error {}

const lockFile = (dir: string): string => path.join(dir, "passerelle.pid");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The process holding `dir`, if it is still running; null when free. */
export function dataDirHolder(dir: string): number | null {
  if (!existsSync(lockFile(dir))) return null;
  const pid = Number.parseInt(readFileSync(lockFile(dir), "utf8"), 10);
  return Number.isInteger(pid) && pid !== process.pid && alive(pid) ? pid : null;
}

/** Takes `dir` for this process, or throws DataDirBusyError naming the holder. Returns the release. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const holder = dataDirHolder(dir);
  if (holder !== null)
    throw new DataDirBusyError(
      `La base intégrée ${dir} est utilisée par le processus ${holder} (serveur Passerelle ou sauvegarde) : arrêtez-le d'abord. / The embedded database is in use by process ${holder}: stop it first.`,
    );
  writeFileSync(lockFile(dir), String(process.pid));
  return () => {
    if (existsSync(lockFile(dir)) && readFileSync(lockFile(dir), "utf8") === String(process.pid))
      rmSync(lockFile(dir));
  };
}
