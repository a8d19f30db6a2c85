/**
 * `npx tsx scripts/probe-import-latency.ts http://localhost:3107 [rows]`: how long a running server
 * (demo data, `cpip@demo…`) leaves other requests waiting while a caseload import goes through it.
 * Uploads, previews and runs a generated CSV of `rows` rows (49,000 by default), then the same rows
 * as an XLSX (written by exceljs, shared strings, as Excel does) and a 9 MB file of `;`, while
 * `GET /healthz` is asked every 20 ms: the longest wait of a health check, per step, is the time
 * the event loop was held (ADR 0025, addendum). `PROBE_RUN=1` also runs the CSV import to the end.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import ExcelJS from "exceljs";
import { DEMO_PASSWORD } from "../src/server/db/seed/demo";
import { generatedCaseload, multipartFile } from "../src/server/testing/importFiles";

const base = process.argv[2] ?? "http://localhost:3107";
const rows = Number(process.argv[3] ?? 49_000);

async function session(): Promise<Record<string, string>> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "cpip@demo.passerelle.fr", password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const current = await fetch(`${base}/api/auth/session`, { headers: { cookie } });
  const { csrfToken } = (await current.json()) as { csrfToken: string };
  return { cookie, "x-csrf-token": csrfToken };
}

/** Health checks every 20 ms while `work` runs: the longest and the 99th percentile answer times. */
async function whilePinging<T>(label: string, work: () => Promise<T>): Promise<T> {
  const times: number[] = [];
  let done = false;
  const pinger = (async () => {
    while (!done) {
      const start = performance.now();
      const health = await fetch(`${base}/healthz`);
      await health.text();
      times.push(performance.now() - start);
      await sleep(20);
    }
  })();
  const start = performance.now();
  try {
    return await work();
  } finally {
    done = true;
    await pinger;
    const sorted = [...times].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
    console.log(
      `${label.padEnd(28)} ${((performance.now() - start) / 1000).toFixed(1).padStart(6)} s  ` +
        `health checks: ${String(times.length).padStart(5)}, longest ${Math.round(sorted.at(-1) ?? 0)} ms, p99 ${Math.round(p99)} ms`,
    );
  }
}

async function xlsxOf(csv: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Dossiers");
  for (const line of csv.trimEnd().split("\r\n")) sheet.addRow(line.split(";"));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const headers = await session();
const structures = await fetch(`${base}/api/auth/session`, { headers });
const me = (await structures.json()) as { memberships: { structureId: string }[] };
const structureId = me.memberships[0]!.structureId;
const run = `P${Date.now().toString(36)}`;
const csv = generatedCaseload(rows, run);
const xlsx = await xlsxOf(generatedCaseload(rows, `${run}X`));
console.log(
  `CSV ${(csv.length / 1e6).toFixed(1)} MB, XLSX ${(xlsx.length / 1e6).toFixed(1)} MB, ${rows} rows`,
);

async function upload(name: string, content: string | Uint8Array) {
  const file = multipartFile(name, content);
  const response = await fetch(`${base}/api/structures/${structureId}/imports`, {
    method: "POST",
    headers: { ...headers, ...file.headers },
    body: new Uint8Array(file.payload),
  });
  const body = (await response.json()) as { importId: string; mapping: object; code?: string };
  if (!response.ok && name !== "pointvirgule.csv") throw new Error(JSON.stringify(body));
  return body;
}

async function post(path: string, payload: object) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<{ done: boolean; counts: object }>;
}

async function importThrough(name: string, content: string | Uint8Array, runAll: boolean) {
  const uploaded = await whilePinging(`${name}: upload`, () => upload(name, content));
  await whilePinging(`${name}: preview`, () =>
    post(`/api/imports/${uploaded.importId}/preview`, { mapping: uploaded.mapping }),
  );
  if (!runAll) return;
  await whilePinging(`${name}: run (batches of 500)`, async () => {
    let progress = await post(`/api/imports/${uploaded.importId}/run`, { duplicates: "create" });
    while (!progress.done)
      progress = await post(`/api/imports/${uploaded.importId}/run`, { duplicates: "create" });
    return progress;
  });
}

await whilePinging("idle", () => sleep(2000));
await whilePinging("9 MB of ';': upload", () => upload("pointvirgule.csv", ";".repeat(9_000_000)));
await importThrough("export.csv", csv, process.env.PROBE_RUN === "1");
await importThrough("export.xlsx", xlsx, false);
