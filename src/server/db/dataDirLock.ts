/**
 * One process at a time on a PGlite data directory (ADR 0026): the server, or a backup or restore
 * command. Each writes its process id in `<dir>/passerelle.pid` while it works; a file left by a
 * process that no longer exists (a crash) is taken over.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The data directory cannot be used: held by another process, or not writable by this one. */
export class DataDirError extends Error {}
export class DataDirBusyError extends DataDirError {}

/** Why a folder cannot be created or written, said to the operator (the server's user often differs from root's). */
const unwritable: Record<string, string> = {
  EACCES:
    "droits refusés : donnez le dossier à l'utilisateur qui lance Passerelle (chown -R) ou lancez la commande sous cet utilisateur",
  EPERM:
    "droits refusés : donnez le dossier à l'utilisateur qui lance Passerelle (chown -R) ou lancez la commande sous cet utilisateur",
  EROFS: "le système de fichiers est en lecture seule",
  ENOTDIR: "ce chemin n'est pas un dossier",
  EEXIST: "ce chemin n'est pas un dossier",
};

/** Runs a write in `dir`; a refusal of the file system is a DataDirError naming DATA_DIR, in French and English. */
export function writing<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const reason = unwritable[code];
    if (!reason) throw error;
    throw new DataDirError(
      `Passerelle ne peut pas écrire dans le dossier de sa base intégrée (DATA_DIR = ${dir}) : ${reason}. / Cannot write to the embedded database directory (${code}).`,
    );
  }
}

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
  writing(dir, () => mkdirSync(dir, { recursive: true }));
  const holder = dataDirHolder(dir);
  if (holder !== null)
    throw new DataDirBusyError(
      `La base intégrée ${dir} est utilisée par le processus ${holder} (serveur Passerelle ou sauvegarde) : arrêtez-le d'abord. / The embedded database is in use by process ${holder}: stop it first.`,
    );
  writing(dir, () => writeFileSync(lockFile(dir), String(process.pid)));
  return () => {
    if (existsSync(lockFile(dir)) && readFileSync(lockFile(dir), "utf8") === String(process.pid))
      rmSync(lockFile(dir));
  };
}
