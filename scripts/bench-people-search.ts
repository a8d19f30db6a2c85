/**
 * The people search in the national bench (issue 11, ADR 0011): mixed queries as agents type them
 * (part of a name, "nom prénom", "PRÉNOM nom" without accents, a phone "06 12 34 56 78", a birth date)
 * through HTTP under load, then the same searches as SQL only, one at a time, against `select 1`.
 */
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../src/server/core/context";
import type { Db } from "../src/server/db/createDb";
import { person, user } from "../src/server/db/schema";
import { listPeople } from "../src/server/domains/people/peopleList";
import { peopleScope } from "../src/server/domains/people/policies";
import { percentile, type Result } from "./bench-stats";

type Headers = Record<string, string>;
interface LoadOptions {
  connections?: number;
  rate?: number;
  paths?: string[];
}

export async function benchPeopleSearch(ctx: {
  db: Db;
  structureId: string;
  cpip: Headers;
  sessionOf(email: string): Promise<Headers>;
  warm(path: string, headers: Headers): Promise<void>;
  run(result: Promise<Result>): Promise<void>;
  load(label: string, path: string, headers: Headers, options: LoadOptions): Promise<Result>;
}): Promise<void> {
  const { db, structureId, cpip, sessionOf, warm, run, load } = ctx;
  // People search (issue 11): what agents type, as a counselor of a generated structure (who sees its
  // ~3,000 people, as the direction does; the direction's session would need a second factor here) and
  // as a CPIP, against real people of that structure.
  const searched = await db
    .select({
      firstName: person.firstName,
      lastName: person.lastName,
      phone: person.phone,
      birthDate: person.birthDate,
    })
    .from(person)
    .where(eq(person.structureId, structureId))
    .orderBy(person.id)
    .limit(40);
  const strip = (s: string) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "");
  const typed = searched.flatMap((p) => {
    const national = p.phone.startsWith("+33") ? `0${p.phone.slice(3)}` : p.phone;
    const [y, m, d] = p.birthDate.split("-");
    return [
      strip(p.lastName).slice(0, 4).toLowerCase(), // partial name, no accents
      `${p.lastName} ${p.firstName}`, // "nom prénom"
      `${strip(p.firstName).toUpperCase()} ${strip(p.lastName).toLowerCase()}`, // "prénom nom", case and accents changed
      national.replace(/(\d{2})(?=\d)/g, "$1 "), // "06 12 34 56 78"
      `${d}/${m}/${y}`, // birth date
    ];
  });
  const searchPaths = typed.map((q) => `/api/people?search=${encodeURIComponent(q)}`);
  const counselor = await sessionOf("agent-0-2@scale.passerelle.invalid");
  await warm(searchPaths[0]!, counselor);
  await run(
    load(
      "people search, counselor of a generated structure, mixed queries (100 req/s)",
      searchPaths[0]!,
      counselor,
      {
        rate: 100,
        paths: searchPaths,
      },
    ),
  );
  await run(
    load("people search, CPIP of a generated structure, mixed queries (100 req/s)", searchPaths[0]!, cpip, {
      rate: 100,
      paths: searchPaths,
    }),
  );
  await run(
    load(
      "people list, counselor, convocation to come, sorted by next convocation, page 2 (20 req/s)",
      "/api/people?upcoming=true&sort=nextConvocation&page=2",
      counselor,
      { connections: 4, rate: 20 },
    ),
  );

  // The same searches as SQL only, one at a time in this process (no HTTP, no concurrency): the
  // database's share, against `select 1` on the same pool.
  async function sequential(
    label: string,
    runOnce: (i: number) => Promise<unknown>,
    count: number,
  ): Promise<Result> {
    const samples: number[] = [];
    const began = performance.now();
    for (let i = 0; i < count; i += 1) {
      const t0 = performance.now();
      await runOnce(i);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const seconds = (performance.now() - began) / 1000;
    return {
      label,
      p50: percentile(samples, 0.5),
      p95: percentile(samples, 0.95),
      rps: count / seconds,
      errors: 0,
      requests: count,
    };
  }
  const [counselorUser] = await db
    .select()
    .from(user)
    .where(eq(user.email, "agent-0-2@scale.passerelle.invalid"));
  const counselorScope = peopleScope({
    userId: counselorUser!.id,
    displayName: "bench",
    memberships: [{ structureId: structureId, role: "counselor", serviceId: null, partnerId: null }],
  } satisfies Actor);
  const sqlBaseline = await sequential(
    "SQL baseline: select 1, sequential",
    () => db.execute(sql`select 1`),
    400,
  );
  const sqlSearch = await sequential(
    "SQL only: people search (page + details), counselor, sequential",
    (i) =>
      listPeople(
        db,
        counselorScope,
        { search: typed[i % typed.length], fileState: "active", page: 1 },
        new Date(),
      ),
    400,
  );
  for (const r of [sqlBaseline, sqlSearch])
    console.log(`  … ${r.label}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
  console.log(
    `  SQL only, people search / select 1 : p50 ${(sqlSearch.p50 / sqlBaseline.p50).toFixed(1)}, p95 ${(sqlSearch.p95 / sqlBaseline.p95).toFixed(1)}`,
  );
}
