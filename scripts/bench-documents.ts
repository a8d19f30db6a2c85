/**
 * `BENCH_ONLY=documents npm run bench` (ADR 0027): documents through the HTTP route (multipart,
 * type check on the bytes, photo reduction, AES-256-GCM, one transaction) on an in-memory PGlite or
 * on PostgreSQL when BENCH_DATABASE_URL is set. Measures, in the same run:
 * - upload throughput: uploads/s and MB/s for 1 MB PDFs and ~4 MB phone photos;
 * - encryption overhead: seal and unseal MB/s against a plain copy of the same bytes (baseline),
 *   and storing a file encrypted (putStoredFile) against the same row written in clear, as a ratio;
 *   the share of sealing in a PDF upload (upload with vs without encryption).
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { fakeClock } from "../src/server/core/clock";
import { loadConfig } from "../src/server/core/config";
import type { Deps } from "../src/server/core/deps";
import { documentKeyring, putStoredFile, seal, unseal } from "../src/server/core/fileStore";
import { createDb } from "../src/server/db/createDb";
import { person, storedFile, structure } from "../src/server/db/schema";
import { seedDemo } from "../src/server/db/seed/demo";
import { buildApp } from "../src/server/http/app";
import { aPdf, aPhoto, documentForm } from "../src/server/testing/documentFiles";
import { demoCpipSession } from "./bench-stats";

const MB = 1024 * 1024;
const url = process.env.BENCH_DATABASE_URL;
const handle = url ? await createDb({ driver: "pg", url }) : await createDb({ driver: "pglite" });
await handle.migrate();
const now = new Date("2026-06-01T07:00:00Z");
const seeded = await handle.db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
if (seeded.length === 0) await seedDemo(handle.db, now);
const config = {
  SESSION_IDLE_MINUTES: 30,
  SESSION_ABSOLUTE_HOURS: 12,
  PUBLIC_URL: "http://localhost:3000",
  SMS_WEBHOOK_TOKEN: undefined,
  EXPORT_TIMEOUT_MS: loadConfig({}).EXPORT_TIMEOUT_MS,
  DOCUMENT_KEYS: `bench:${randomBytes(32).toString("base64")}`,
};
const deps = { db: handle.db, clock: fakeClock(now), config } as unknown as Deps;
const app = await buildApp({ deps, publicUrl: "http://localhost:3000" });
const { cookie, csrfToken } = await demoCpipSession(app);
const headers = { cookie, "x-csrf-token": csrfToken };
const [karim] = await handle.db.select().from(person).where(eq(person.firstName, "Karim"));

async function uploads(
  name: string,
  bytes: Buffer,
  count: number,
): Promise<{ perSecond: number; mbPerSecond: number; ms: number }> {
  const form = documentForm({ kind: "proof", title: "Bench" }, { name, bytes });
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const response = await app.inject({
      method: "POST",
      url: `/api/people/${karim!.id}/documents`,
      payload: form.payload,
      headers: { ...form.headers, ...headers },
    });
    if (response.statusCode !== 200) throw new Error(response.body);
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    perSecond: count / seconds,
    mbPerSecond: (count * bytes.length) / MB / seconds,
    ms: (seconds * 1000) / count,
  };
}

function mbPerSecond(bytes: Buffer, rounds: number, work: () => void): number {
  const start = performance.now();
  for (let i = 0; i < rounds; i++) work();
  return (rounds * bytes.length) / MB / ((performance.now() - start) / 1000);
}

// A PDF's body is compressed streams: random bytes, so that the database compresses neither row.
const pdfShell = aPdf(4096);
const pdf = Buffer.concat([pdfShell.subarray(0, 64), randomBytes(MB - 4096), pdfShell.subarray(64)]);
const photo = await aPhoto(2800, 1700, 92);
// Warm-up (JIT, first transaction, sharp's thread pool).
await uploads("warm.pdf", pdf, 3);
const pdfs = await uploads("piece.pdf", pdf, 30);
const photos = await uploads("photo.jpg", photo, 10);

const keyring = documentKeyring(config);
const tenMb = randomBytes(10 * MB);
const copy = mbPerSecond(tenMb, 20, () => Buffer.from(tenMb));
const sealed = seal(keyring, tenMb, "bench");
const sealRate = mbPerSecond(tenMb, 20, () => seal(keyring, tenMb, "bench"));
const unsealRate = mbPerSecond(tenMb, 20, () => unseal(keyring, sealed, "bench"));

// Storing 1 MB: encrypted (the store) against the same row in clear (bare insert, no cipher).
const ROUNDS = 30;
let start = performance.now();
for (let i = 0; i < ROUNDS; i++)
  await handle.db.transaction((tx) =>
    putStoredFile(tx, keyring, { bytes: pdf, mediaType: "application/pdf" }),
  );
const encryptedStore = (performance.now() - start) / ROUNDS;
start = performance.now();
for (let i = 0; i < ROUNDS; i++)
  await handle.db.transaction((tx) =>
    tx.insert(storedFile).values({
      id: crypto.randomUUID(),
      keyId: "clear",
      iv: Buffer.alloc(12),
      tag: Buffer.alloc(16),
      ciphertext: pdf,
      size: pdf.length,
      mediaType: "application/pdf",
    }),
  );
const clearStore = (performance.now() - start) / ROUNDS;
const sealMsPerPdf = (pdf.length / MB / sealRate) * 1000;

const f = (n: number, d = 1) => n.toFixed(d);
console.log(`Documents (${url ? "PostgreSQL" : "PGlite"}), through HTTP as a CPIP`);
console.log(
  `  1 MB PDFs      ${f(pdfs.perSecond)} uploads/s  ${f(pdfs.mbPerSecond)} MB/s  (${f(pdfs.ms)} ms each)`,
);
console.log(
  `  ${f(photo.length / MB)} MB photos  ${f(photos.perSecond)} uploads/s  ${f(photos.mbPerSecond)} MB/s  (${f(photos.ms)} ms each, reduced to 2000 px)`,
);
console.log(`Encryption (AES-256-GCM, 10 MB buffers)`);
console.log(`  plain copy (baseline)  ${f(copy, 0)} MB/s`);
console.log(`  seal    ${f(sealRate, 0)} MB/s  ratio to copy ${f(copy / sealRate, 2)}`);
console.log(`  unseal  ${f(unsealRate, 0)} MB/s  ratio to copy ${f(copy / unsealRate, 2)}`);
console.log(
  `  store 1 MB encrypted ${f(encryptedStore)} ms vs in clear ${f(clearStore)} ms  ratio ${f(encryptedStore / clearStore, 2)}`,
);
console.log(
  `  1 MB PDF upload with encryption ${f(pdfs.ms)} ms vs without (minus sealing, ${f(sealMsPerPdf, 2)} ms) ratio ${f(pdfs.ms / (pdfs.ms - sealMsPerPdf), 3)}`,
);
await app.close();
await handle.close();
