import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirError, lockDataDir, writing } from "./dataDirLock";

/** The one-process lock on a PGlite DATA_DIR (ADR 0026), and the refusals an operator reads. */
describe("lockDataDir", () => {
  const work = mkdtempSync(path.join(tmpdir(), "passerelle-lock-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("creates the folder, writes this process's id, and the release removes it", () => {
    const dir = path.join(work, "data");
    const release = lockDataDir(dir);
    expect(readFileSync(path.join(dir, "passerelle.pid"), "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(path.join(dir, "passerelle.pid"))).toBe(false);
  });

  it("says in French which DATA_DIR cannot be used when the path is not a folder, instead of a stack trace", () => {
    const file = path.join(work, "a-file");
    writeFileSync(file, "");
    for (const dir of [file, path.join(file, "data")])
      expect(() => lockDataDir(dir)).toThrow(
        new DataDirError(
          `Passerelle ne peut pas écrire dans le dossier de sa base intégrée (DATA_DIR = ${dir}) : ce chemin n'est pas un dossier. / Cannot write to the embedded database directory (${dir === file ? "EEXIST" : "ENOTDIR"}).`,
        ),
      );
  });

  // Root writes anywhere, and the tests may run as root: the file system's refusal is given as it comes.
  it("says the rights are refused when the folder belongs to another user (created by root's setup command)", () => {
    const dir = path.join(work, "theirs");
    for (const code of ["EACCES", "EPERM"])
      expect(() =>
        writing(dir, () => {
          throw Object.assign(new Error(`${code}: permission denied, open '${dir}/passerelle.pid'`), {
            code,
          });
        }),
      ).toThrow(/DATA_DIR = .*theirs\) : droits refusés : donnez le dossier .*\(E(ACCES|PERM)\)\.$/);
    // Anything else is not the folder's fault: it goes on as it came.
    const other = Object.assign(new Error("EMFILE: too many open files"), { code: "EMFILE" });
    expect(() =>
      writing(dir, () => {
        throw other;
      }),
    ).toThrow(other);
  });
});
