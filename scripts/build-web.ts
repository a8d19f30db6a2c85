/**
 * Builds the web bundle when it is missing or older than its sources (used by `npm start`), or
 * always with `--force` (used by `npm run build`).
 *
 * The DSFR stylesheet and fonts go through Vite (hashed, cached as immutable); only what must keep a
 * fixed address is copied to `public/dsfr`: the favicons and an icon stylesheet reduced to the icons
 * the app uses. After the build, every text file is precompressed (`.br`, `.gz`) for @fastify/static.
 */
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = path.resolve(import.meta.dirname, "..");
const webSrc = path.join(root, "src/web");
const outDir = path.join(root, "dist/web");
const output = path.join(outDir, "index.html");
const dsfrPackage = path.join(root, "node_modules/@codegouvfr/react-dsfr/dsfr");
const publicDsfr = path.join(webSrc, "public/dsfr");
const sources = [webSrc, path.join(root, "src/common"), path.join(root, "package-lock.json")];

/** Icons that react-dsfr components draw themselves (the display settings button). */
const libraryIcons = ["fr-icon-theme-fill"];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target)
    .filter((name) => name !== "public")
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** The `fr-icon-*` classes written in the app's sources. */
function usedIcons(): Set<string> {
  const names = new Set(libraryIcons);
  const sourceFiles = filesUnder(webSrc).filter(
    (file) => !file.startsWith(path.join(webSrc, "public")) && /\.(tsx?|css|html)$/.test(file),
  );
  for (const file of sourceFiles) {
    for (const match of readFileSync(file, "utf8").matchAll(/fr-icon-[a-z0-9-]+/g)) names.add(match[0]);
  }
  return names;
}

/** The DSFR icon stylesheet reduced to the rules of `icons`, and the SVG files they point at. */
function copyUsedIcons(icons: Set<string>): void {
  const css = readFileSync(path.join(dsfrPackage, "utility/icons/icons.min.css"), "utf8");
  const rules = css.match(/[^{}]+\{[^{}]*\}/g) ?? [];
  const kept = rules.filter((rule) => {
    const selectors = rule.slice(0, rule.indexOf("{")).split(",");
    return selectors.some((s) =>
      icons.has(
        s
          .trim()
          .replace(/^\./, "")
          .replace(/:(before|after)$/, ""),
      ),
    );
  });
  const iconsDir = path.join(publicDsfr, "utility/icons");
  mkdirSync(iconsDir, { recursive: true });
  writeFileSync(path.join(iconsDir, "icons.min.css"), kept.join(""));
  for (const rule of kept) {
    for (const [, url] of rule.matchAll(/url\(([^)]+)\)/g)) {
      const relative = url!.replace(/["']/g, "");
      const from = path.join(dsfrPackage, "utility/icons", relative);
      const to = path.join(iconsDir, relative);
      mkdirSync(path.dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
}

const compressible = /\.(js|mjs|css|html|svg|json|webmanifest|txt|ico)$/;

/** `.br` (best quality: done once at build) and `.gz` beside every text file worth compressing. */
function precompress(dir: string): void {
  for (const file of filesUnder(dir)) {
    if (!compressible.test(file)) continue;
    const content = readFileSync(file);
    if (content.length < 1024) continue;
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    );
    writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  }
}

const force = process.argv.includes("--force");
const stale = !existsSync(output) || Math.max(...sources.map(newestMtime)) > statSync(output).mtimeMs;
if (force || stale) {
  console.log("Construction de l'interface web…");
  rmSync(publicDsfr, { recursive: true, force: true });
  cpSync(path.join(dsfrPackage, "favicon"), path.join(publicDsfr, "favicon"), { recursive: true });
  copyUsedIcons(usedIcons());
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  precompress(outDir);
}
