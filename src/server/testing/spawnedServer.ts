/**
 * The server as a real process, for the tests of the production start, the graceful shutdown and
 * the backups: compiled as `npm run build` does (into a temporary folder), on a database copied
 * from the test template (a PGlite data directory, or a PostgreSQL database in the "postgres" project).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { buildServer } from "../../../scripts/build-server";
import { pgliteDirOf } from "../db/backup";
import { createDb, type DbHandle } from "../db/createDb";
import { appDatabaseUrl, templateDatabaseName, withDatabase } from "./constants";

/** What the fake web build's page says: proves `/` is served from `dist/web` beside the server. */
export const WEB_MARKER = "passerelle-web-build-under-test";

export interface ServerDatabase {
  /** The variables that point the server (or the backup command) at this database. */
  env: Record<string, string>;
  /** A connection as the tables' owner, once no server runs on it (PGlite: one process at a time). */
  open(): Promise<DbHandle>;
  drop(): Promise<void>;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

/** A copy of the migrated, seeded test template, for one spawned server (default: the project's driver). */
export async function serverDatabase(
  driver: "pg" | "pglite" = process.env.TEST_DB_DRIVER === "pg" ? "pg" : "pglite",
): Promise<ServerDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (driver === "pg" && url) {
    const name = `passerelle_s_${randomBytes(6).toString("hex")}`;
    await adminQuery(url, `CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName(url)}"`);
    const ownerUrl = withDatabase(url, name);
    return {
      env: { MIGRATION_DATABASE_URL: ownerUrl, DATABASE_URL: appDatabaseUrl(url, name) },
      open: () => createDb({ driver: "pg", url: ownerUrl, poolSize: 2 }),
      drop: () => adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "passerelle-data-"));
  const dump = new Blob([readFileSync(inject("pgliteTemplatePath"))]);
  const seeded = await createDb({ driver: "pglite", dataDir: pgliteDirOf(dataDir), loadDataDir: dump });
  await seeded.close();
  return {
    env: { DATA_DIR: dataDir },
    open: () => createDb({ driver: "pglite", dataDir: pgliteDirOf(dataDir) }),
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Compiles the server into a temporary `dist/server`, beside a one-page `dist/web`. Returns main.js. */
export async function buildServerForTest(): Promise<{ mainJs: string; root: string }> {
  const root = mkdtempSync(path.join(tmpdir(), "passerelle-build-"));
  await buildServer(path.join(root, "dist/server"));
  // As in a deployment, the packages are resolved from a node_modules beside dist/.
  symlinkSync(path.resolve(import.meta.dirname, "../../../node_modules"), path.join(root, "node_modules"));
  mkdirSync(path.join(root, "dist/web"), { recursive: true });
  writeFileSync(
    path.join(root, "dist/web/index.html"),
    `<!doctype html><html lang="fr"><title>Passerelle</title><p>${WEB_MARKER}</p></html>`,
  );
  return { mainJs: path.join(root, "dist/server/main.js"), root };
}

export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  /** Every line the server wrote on its standard output so far (pino's JSON lines among them). */
  stdout: string[];
  exited: Promise<number | null>;
}

/** Starts `node <script>` (no TypeScript loader) with `env` only, and waits until `/readyz` is 200. */
export async function spawnServer(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [...args, script], {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", DEMO_DATA: "no", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  let stderr = "";
  let pending = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const parts = (pending + chunk.toString("utf8")).split("\n");
    pending = parts.pop() ?? "";
    stdout.push(...parts);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await waitForReady(stdout, exited, () => stderr);
  return { child, url, stdout, exited };
}

async function waitForReady(
  stdout: string[],
  exited: Promise<number | null>,
  stderr: () => string,
): Promise<string> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (let tries = 0; tries < 600; tries += 1) {
    if (gone) throw new Error(`server exited before it was ready:\n${stderr()}\n${stdout.join("\n")}`);
    const listening = stdout
      .map((line) => /Passerelle est prête sur (http:\/\/\S+)/.exec(line))
      .find(Boolean);
    if (listening?.[1]) {
      const response = await fetch(`${listening[1]}/readyz`).catch(() => null);
      if (response?.status === 200) return listening[1];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not ready after 60 s:\n${stderr()}`);
}
