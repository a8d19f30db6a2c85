/**
 * Builds the web bundle when it is missing or older than its sources (used by `npm start`), or
 * always with `--force` (used by `npm run build`). Copies the DSFR static assets first.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const output = path.join(root, "dist/web/index.html");
const sources = [
  path.join(root, "src/web"),
  path.join(root, "src/common"),
  path.join(root, "package-lock.json"),
];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target)
    .filter((name) => name !== "public")
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

const force = process.argv.includes("--force");
const stale = !existsSync(output) || Math.max(...sources.map(newestMtime)) > statSync(output).mtimeMs;
if (force || stale) {
  console.log("Construction de l'interface web…");
  cpSync(
    path.join(root, "node_modules/@codegouvfr/react-dsfr/dsfr"),
    path.join(root, "src/web/public/dsfr"),
    {
      recursive: true,
    },
  );
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}
