/**
 * `BENCH_ONLY=import npm run bench` (also the last case of the demo suite): 10,000 generated rows
 * imported through the HTTP routes (upload, preview, batches of 500) by a CPIP, on an in-memory
 * PGlite or on PostgreSQL when BENCH_DATABASE_URL is set (a scratch database: migrated and filled).
 * Budget (issue 13): under 30 s. Baseline of the same run: the same number of people inserted
 * bare (multi-row INSERT of 500, no checks, no measure, referent or journal).
 */
import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { fakeClock } from "../src/server/core/clock";
import { loadConfig } from "../src/server/core/config";
import type { Deps } from "../src/server/core/deps";
import { createDb } from "../src/server/db/createDb";
import { person, structure } from "../src/server/db/schema";
import { seedDemo } from "../src/server/db/seed/demo";
import { buildApp } from "../src/server/http/app";
import { generatedCaseload, multipartFile } from "../src/server/testing/importFiles";
import { demoCpipSession } from "./bench-stats";

const ROWS = 10_000;
const url = process.env.BENCH_DATABASE_URL;
const handle = url ? await createDb({ driver: "pg", url }) : await createDb({ driver: "pglite" });
await handle.migrate();
const now = new Date("2026-06-01T07:00:00Z");
// A scratch database filled by an earlier run (or by bench-demo.ts) keeps its demo data.
const seeded = await handle.db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
if (seeded.length === 0) await seedDemo(handle.db, now);
const deps: Deps = {
  db: handle.db,
  clock: fakeClock(now),
  config: {
    SESSION_IDLE_MINUTES: 30,
    SESSION_ABSOLUTE_HOURS: 12,
    PUBLIC_URL: "http://localhost:3000",
    SMS_WEBHOOK_TOKEN: undefined,
    EXPORT_TIMEOUT_MS: loadConfig({}).EXPORT_TIMEOUT_MS,
  },
};
const [fs77] = await handle.db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
const app = await buildApp({ deps, publicUrl: "http://localhost:3000" });
const { cookie, csrfToken } = await demoCpipSession(app);
const headers = { cookie, "x-csrf-token": csrfToken };
const run = `B${Date.now().toString(36)}`;
const csv = generatedCaseload(ROWS, run);

async function importFile(): Promise<{ seconds: number; counts: Record<string, number> }> {
  const start = performance.now();
  const file = multipartFile("bench.csv", csv);
  const uploaded = await app.inject({
    method: "POST",
    url: `/api/structures/${fs77!.id}/imports`,
    payload: file.payload,
    headers: { ...file.headers, ...headers },
  });
  const { importId, mapping } = uploaded.json();
  const preview = await app.inject({
    method: "POST",
    url: `/api/imports/${importId}/preview`,
    payload: { mapping },
    headers,
  });
  if (preview.statusCode !== 200) throw new Error(preview.body);
  let progress = { done: false, counts: {} };
  while (!progress.done) {
    const batch = await app.inject({
      method: "POST",
      url: `/api/imports/${importId}/run`,
      payload: { duplicates: "create" },
      headers,
    });
    if (batch.statusCode !== 200) throw new Error(batch.body);
    progress = batch.json();
  }
  return { seconds: (performance.now() - start) / 1000, counts: progress.counts };
}

const first = await importFile();
const again = await importFile();
// The baseline inserts the file's names (a GIN trigram index grows with how varied they are).
const fileNames = csv
  .split("\r\n")
  .slice(1, ROWS + 1)
  .map((line) => line.split(";"));
const baselineStart = performance.now();
for (let from = 0; from < ROWS; from += 500) {
  await handle.db.insert(person).values(
    Array.from({ length: 500 }, (_, i) => ({
      structureId: fs77!.id,
      sourceNumber: `${run}-base-${from + i}`,
      lastName: fileNames[from + i]?.[1] ?? "BASE",
      firstName: fileNames[from + i]?.[2] ?? "Ligne",
      birthDate: "1980-01-01",
      status: "milieu_ouvert" as const,
    })),
  );
}
const baseline = (performance.now() - baselineStart) / 1000;

console.log(`Caseload import of ${ROWS} rows through HTTP (${url ? "PostgreSQL" : "PGlite"})`);
console.log(`  first import  ${first.seconds.toFixed(1)} s  ${JSON.stringify(first.counts)}  (budget 30 s)`);
console.log(`  same file again  ${again.seconds.toFixed(1)} s  ${JSON.stringify(again.counts)}`);
console.log(
  `  baseline (bare INSERT of ${ROWS} people)  ${baseline.toFixed(1)} s  ratio ${(first.seconds / baseline).toFixed(1)}`,
);
await app.close();
await handle.close();
if (first.seconds >= 30) process.exitCode = 1;
