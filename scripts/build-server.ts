/**
 * Compiles the server for production (ADR 0026): esbuild bundles our TypeScript (src/server,
 * src/common) into `dist/server/main.js` (the server), `dist/server/db.js` (backup and restore),
 * `dist/server/setup.js` (first structure) and `dist/server/rotate.js` (documents' key rotation),
 * npm packages left as imports resolved from node_modules at run time; the SQL migrations are copied
 * beside them (`dist/server/migrations`, read relative to the bundle). `node dist/server/main.js`
 * then runs with no TypeScript loader. `--out <dir>` builds elsewhere (tests).
 */
import { cpSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");

export async function buildServer(outDir: string = path.join(root, "dist/server")): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: {
      main: path.join(root, "src/server/main.ts"),
      db: path.join(root, "src/server/dbCommand.ts"),
      setup: path.join(root, "src/server/setupCommand.ts"),
      rotate: path.join(root, "src/server/documentsRotate.ts"),
    },
    outdir: outDir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
  cpSync(path.join(root, "src/server/db/migrations"), path.join(outDir, "migrations"), { recursive: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out");
  const outDir = at > 0 ? process.argv[at + 1] : undefined;
  const started = Date.now();
  await buildServer(outDir ? path.resolve(outDir) : undefined);
  console.log(`Serveur compilé dans ${outDir ?? "dist/server"} (${Date.now() - started} ms)`);
}
