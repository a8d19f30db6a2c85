/**
 * `npm run bench`. With BENCH_DATABASE_URL pointing at a database filled by `npm run seed:scale`,
 * the national suite (bench-national.ts: autocannon against the real server, DESIGN §6 budgets);
 * otherwise the demo suite (bench-demo.ts: slot search, booking, concurrency, outbox, person file on
 * an in-memory PGlite, or on a scratch PostgreSQL database given as BENCH_DATABASE_URL), then the
 * caseload import (bench-import.ts).
 */
import pg from "pg";

async function hasNationalDataset(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(
      "select exists (select 1 from information_schema.tables where table_name = 'structure') and exists (select 1 from structure where label_number like 'FS-SCALE-%') as national",
    );
    return result.rows[0]?.national === true;
  } catch {
    return false;
  } finally {
    await client.end();
  }
}

// `BENCH_ONLY=search`: on the national dataset, only the baseline and the people search (bench-national.ts).
// `BENCH_ONLY=import`: only the caseload import (bench-import.ts, 10,000 rows through HTTP).
// `BENCH_ONLY=newsletter`: only the newsletter sent to 2,000 contacts (bench-newsletter.ts, ADR 0032).
if (process.env.BENCH_ONLY === "import") await import("./bench-import");
// `BENCH_ONLY=documents`: documents' upload throughput and encryption overhead (bench-documents.ts).
else if (process.env.BENCH_ONLY === "documents") await import("./bench-documents");
else if (process.env.BENCH_ONLY === "newsletter") await import("./bench-newsletter");
else if (await hasNationalDataset(process.env.BENCH_DATABASE_URL)) await import("./bench-national");
else {
  await import("./bench-demo");
  await import("./bench-import");
  await import("./bench-newsletter");
}
