/**
 * The national benchmark (issue 5, DESIGN §6), against the dataset of `npm run seed:scale` on
 * PostgreSQL: the real server listens on 127.0.0.1, autocannon sends the load, every operation is
 * printed with p50/p95 and its ratio to a trivial authenticated route measured in the same run.
 */
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { systemClock } from "../src/server/core/clock";
import { loadConfig } from "../src/server/core/config";
import type { Deps } from "../src/server/core/deps";
import { createDb } from "../src/server/db/createDb";
import { person, referent, site, structure, user } from "../src/server/db/schema";
import { createSession } from "../src/server/domains/identity/store";
import { authenticate } from "../src/server/domains/identity/use-cases/Authenticate";
import { expireOverdue } from "../src/server/domains/orientations/queries";
import { createFigureCache } from "../src/server/domains/reporting/figureCache";
import { getDashboard } from "../src/server/domains/reporting/use-cases/GetDashboard";
import { buildApp } from "../src/server/http/app";
import { cookieSettings } from "../src/server/http/security";
import { benchPeopleSearch } from "./bench-people-search";
import { issue12Verdicts, percentile, type Result } from "./bench-stats";

const url = process.env.BENCH_DATABASE_URL as string;
/** `BENCH_ONLY=issue12`: only the baseline and the figures of issue 12 (about 45 s). */
const only12 = process.env.BENCH_ONLY === "issue12";
/** `BENCH_ONLY=search`: only the baseline and the people search and list (bench-people-search.ts, about 50 s). */
const onlySearch = process.env.BENCH_ONLY === "search";
const handle = await createDb({ driver: "pg", url, poolSize: 10 });
await handle.migrate();
const db = handle.db;
// A running server expires overdue orientations every minute (ADR 0020); a dataset loaded in bulk
// has not met that job yet. Run it once, so that the dashboard reads what it reads in service.
const expired = await expireOverdue(db, undefined, new Date(), "job:orientations.expire_overdue");
if (expired > 0) console.log(`  (${expired} orientations en retard expirées, comme le fait le serveur)`);
const deps: Deps = {
  db,
  clock: systemClock,
  config: {
    SESSION_IDLE_MINUTES: 30,
    SESSION_ABSOLUTE_HOURS: 12,
    PUBLIC_URL: "http://localhost:3000",
    SMS_WEBHOOK_TOKEN: undefined,
    EXPORT_TIMEOUT_MS: loadConfig({}).EXPORT_TIMEOUT_MS,
  },
  // BENCH_FIGURE_CACHE=off: every dashboard computed (the cost of a read right after a change).
  ...(process.env.BENCH_FIGURE_CACHE === "off" ? {} : { figureCache: createFigureCache() }),
};
const app = await buildApp({ deps, publicUrl: "http://localhost:3000" });
const address = await app.listen({ port: 0, host: "127.0.0.1" });

const count = async (table: string) =>
  Number(
    ((await db.execute(sql.raw(`select count(*) n from ${table}`))) as unknown as { rows: { n: string }[] })
      .rows[0]!.n,
  );
const sizes = Object.fromEntries(
  await Promise.all(
    [
      "structure",
      "person",
      '"user"',
      "convocation",
      "demarche",
      "orientation",
      "need_assessment",
      "audit_event",
    ].map(async (t) => [t.replaceAll('"', ""), await count(t)] as const),
  ),
);

async function sessionOf(email: string): Promise<Record<string, string>> {
  const [found] = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
  if (!found) throw new Error(`no account ${email}: run npm run seed:scale first`);
  const { token, csrfToken } = await createSession(db, {
    userId: found.id,
    stage: "active",
    now: new Date(),
    absoluteHours: 12,
    ip: "127.0.0.1",
    userAgent: "bench",
  });
  return { cookie: `${cookieSettings(deps.config.PUBLIC_URL).name}=${token}`, "x-csrf-token": csrfToken };
}

// Accounts: national steering, the demo structure's steering and CPIP, a CPIP of a generated structure.
const national = await sessionOf("pilotage.national@demo.passerelle.fr");
const steering = await sessionOf("pilotage@demo.passerelle.fr");
const demoCpip = await sessionOf("cpip@demo.passerelle.fr");
const [demo] = await db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
const [generated] = await db.select().from(structure).where(eq(structure.labelNumber, "FS-SCALE-000"));
// The generated person with the longest history, and their CPIP.
const [busiest] = (
  (await db.execute(sql`select c.person_id, count(*) n from convocation c where c.structure_id = ${generated!.id}
    group by c.person_id order by n desc limit 1`)) as unknown as { rows: { person_id: string }[] }
).rows;
const [followedBy] = await db
  .select({ email: user.email })
  .from(referent)
  .innerJoin(user, eq(user.id, referent.userId))
  .where(and(eq(referent.personId, busiest!.person_id), isNull(referent.endedAt)));
const cpip = await sessionOf(followedBy!.email);
const [busiestSite] = await db
  .select({ id: site.id })
  .from(site)
  .where(eq(site.structureId, generated!.id))
  .orderBy(desc(site.name));

const month = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 15)).toISOString().slice(0, 7);
};
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const yearQuery = `from=${month(-11)}&to=${month(0)}`;

/**
 * autocannon against the running server, from its own thread (bench-load-worker.mjs: the load does
 * not share the server's event loop); latencies of every answer, kept to compute exact percentiles.
 * Enough connections that the rate asked, not the latency, sets the pace (an open load, as many users).
 */
async function load(
  label: string,
  path: string,
  headers: Record<string, string>,
  options: {
    connections?: number;
    rate?: number;
    duration?: number;
    method?: "GET" | "POST";
    body?: () => string;
    /** Paths taken in turn, one per request (instead of `path` every time). */
    paths?: string[];
  } = {},
): Promise<Result> {
  const duration = options.duration ?? 10;
  const rate = options.rate;
  const body = options.body;
  // Bodies are made here, ahead: functions do not cross to the worker.
  const bodies = body ? Array.from({ length: (rate ?? 100) * duration + 50 }, () => body()) : undefined;
  const done = await new Promise<{ samples: number[]; errors: number; rps: number }>((resolve, reject) => {
    const worker = new Worker(new URL("./bench-load-worker.mjs", import.meta.url), {
      workerData: {
        url: `${address}${path}`,
        method: options.method ?? "GET",
        headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
        connections: options.connections ?? (rate && rate >= 100 ? 20 : 10),
        duration,
        rate,
        paths: options.paths,
        bodies,
      },
    });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const samples = done.samples.sort((a, b) => a - b);
  return {
    label,
    p50: percentile(samples, 0.5),
    p95: percentile(samples, 0.95),
    rps: done.rps,
    errors: done.errors,
    requests: samples.length,
  };
}

/** Ten computations of a dashboard without the figure cache (sequential), as p50/p95. */
async function computedAfresh(headers: Record<string, string>, path: string): Promise<Result> {
  const token = headers.cookie!.split("=")[1]!;
  const session = await authenticate(deps, token);
  const filters = Object.fromEntries(new URL(path, "http://x").searchParams) as { from: string; to: string };
  const ctx = {
    actor: session.actor,
    requestId: "bench",
    ip: "127.0.0.1",
    clock: deps.clock,
    journaled: [],
  };
  const uncached: Deps = { ...deps, figureCache: undefined };
  const samples: number[] = [];
  for (let k = 0; k < 10; k += 1) {
    const t = performance.now();
    await getDashboard(uncached, ctx, filters);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return {
    label: "national dashboard computed afresh (no cache), 10 in a row",
    p50: percentile(samples, 0.5),
    p95: percentile(samples, 0.95),
    rps: 0,
    errors: 0,
    requests: samples.length,
  };
}

const started = performance.now();
const warm = async (path: string, headers: Record<string, string>) => {
  for (let i = 0; i < 5; i += 1) await fetch(`${address}${path}`, { headers });
};
const baselinePath = "/api/auth/session";
const results: Result[] = [];
const run = async (r: Promise<Result>) => {
  const done = await r;
  results.push(done);
  console.log(`  … ${done.label}: p50 ${done.p50.toFixed(1)} ms, p95 ${done.p95.toFixed(1)} ms`);
};

console.log(
  `Passerelle — banc national sur PostgreSQL : ${Object.entries(sizes)
    .map(([t, n]) => `${t} ${n.toLocaleString("fr-FR")}`)
    .join(", ")}`,
);
const dashboards = {
  national: `/api/reporting/dashboard?${yearQuery}`,
  structure: `/api/reporting/dashboard?${yearQuery}&structureId=${demo!.id}`,
  generated: `/api/reporting/dashboard?${yearQuery}&structureId=${generated!.id}`,
};
const baselineLabel = "baseline GET /api/auth/session (200 req/s)";
/** The table of every line measured, with its ratios to the baseline (the first line). */
function printResults(): Result {
  const baseline = results[0]!;
  console.log("");
  console.log("| opération | p50 (ms) | p95 (ms) | p50 / base | p95 / base | req/s | erreurs |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results)
    console.log(
      `| ${r.label} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${(r.p50 / baseline.p50).toFixed(1)} | ${(r.p95 / baseline.p95).toFixed(1)} | ${r.rps.toFixed(0)} | ${r.errors}/${r.requests} |`,
    );
  return baseline;
}
if (onlySearch) {
  await warm(baselinePath, cpip);
  await run(load(baselineLabel, baselinePath, cpip, { rate: 200 }));
  await benchPeopleSearch({ db, structureId: generated!.id, cpip, sessionOf, warm, run, load });
  printResults();
  await app.close();
  await handle.close();
  process.exit(0);
}
await warm(dashboards.national, national);
await warm(dashboards.structure, steering);
const labels = {
  baseline: baselineLabel,
  national: "national dashboard, 12 months, 100 structures (5 req/s)",
  timeline: "person file: history, longest of a generated structure (200 req/s)",
  accompaniment: "person file: needs, démarches, visits (200 req/s)",
  timelineCapacity: "person file: history, capacity (20 connections, no pacing)",
  accompanimentCapacity: "person file: needs, démarches, visits, capacity (20 connections, no pacing)",
};
const personFile = {
  timeline: `/api/people/${busiest!.person_id}/timeline`,
  accompaniment: `/api/people/${busiest!.person_id}/accompaniment`,
};
await warm(personFile.timeline, cpip);
await warm(personFile.accompaniment, cpip);
await run(load(labels.baseline, baselinePath, cpip, { rate: 200 }));
await run(load(labels.national, dashboards.national, national, { connections: 2, rate: 5 }));
await run(load(labels.timeline, personFile.timeline, cpip, { rate: 200 }));
await run(load(labels.accompaniment, personFile.accompaniment, cpip, { rate: 200 }));
await run(load(labels.timelineCapacity, personFile.timeline, cpip, { connections: 20, duration: 5 }));
await run(
  load(labels.accompanimentCapacity, personFile.accompaniment, cpip, { connections: 20, duration: 5 }),
);
// The national dashboard when every read follows a write (the figure cache never serves): computed
// afresh ten times in a row, through the use case, by the national steering account.
const fresh = await computedAfresh(national, dashboards.national);
if (!only12) {
  await run(
    load(
      "dashboard of one site (generated structure), 12 months (5 req/s)",
      `${dashboards.national}&structureId=${generated!.id}&siteId=${busiestSite!.id}`,
      national,
      { connections: 2, rate: 5 },
    ),
  );
  await run(
    load("structure dashboard, 12 months, generated structure (20 req/s)", dashboards.generated, national, {
      connections: 4,
      rate: 20,
    }),
  );
  await run(
    load("person file: identity and measure (200 req/s)", `/api/people/${busiest!.person_id}`, cpip, {
      rate: 200,
    }),
  );
  await run(
    load(
      "agenda week, demo structure (200 req/s)",
      `/api/convocations?from=${day(0)}&to=${day(6)}`,
      demoCpip,
      {
        rate: 200,
      },
    ),
  );
  await run(
    load(
      "slot search, 31 days, demo structure (50 req/s)",
      `/api/structures/${demo!.id}/slots?days=31`,
      demoCpip,
      { connections: 4, rate: 50 },
    ),
  );

  await benchPeopleSearch({ db, structureId: generated!.id, cpip, sessionOf, warm, run, load });

  // Booking: people of the demo CPIP, every free slot of the coming month once (409 once taken).
  const [demoCpipUser] = await db
    .select({ id: user.id })
    .from(user)
    .where(eq(user.email, "cpip@demo.passerelle.fr"));
  const mine = await db
    .select({ id: person.id })
    .from(person)
    .innerJoin(referent, eq(referent.personId, person.id))
    .where(and(eq(referent.userId, demoCpipUser!.id), isNull(referent.endedAt)));
  const slots = (
    (await (
      await fetch(`${address}/api/structures/${demo!.id}/slots?days=31`, { headers: demoCpip })
    ).json()) as {
      slots: { siteId: string; startsAt: string; free: number }[];
    }
  ).slots.filter((s) => s.free > 0);
  let next = 0;
  await run(
    load("booking with SMS and email, demo structure (20 req/s)", "/api/convocations", demoCpip, {
      method: "POST",
      connections: 2,
      rate: 20,
      duration: Math.max(2, Math.min(10, Math.floor(slots.length / 20))),
      body: () => {
        const slot = slots[next % slots.length]!;
        const body = JSON.stringify({
          personId: mine[next % mine.length]!.id,
          siteId: slot.siteId,
          startsAt: slot.startsAt,
          needDomains: ["acces-aux-droits"],
          notifySms: true,
          notifyEmail: true,
        });
        next += 1;
        return body;
      },
    }),
  );
}

const baseline = printResults();
console.log(
  `\nBudgets (DESIGN §6) : tableau de bord national p95 < 200 ms ; fiche, agenda, réservation p95 < 50 ms. Durée du banc : ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
console.log(`\nObjectifs de l'issue 12 (base du même passage : p95 ${baseline.p95.toFixed(1)} ms) :`);
for (const line of issue12Verdicts(results, labels)) console.log(`  ${line}`);
console.log(
  `  Cache des chiffres : ${deps.figureCache ? `${deps.figureCache.hits} lectures servies, ${deps.figureCache.misses} calculs` : "désactivé (BENCH_FIGURE_CACHE=off)"} ; calculé sans cache (10 de suite, cas d'une lecture après chaque écriture) : p50 ${fresh.p50.toFixed(1)} ms, p95 ${fresh.p95.toFixed(1)} ms.`,
);
await app.close();
await handle.close();
