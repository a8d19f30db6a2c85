import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PersonSummary } from "../../common/people/people.schema";
import { rowsOf } from "../db/createDb";
import { auditEvent, person, referent, site, user } from "../db/schema";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

/** GET /api/people: search, filters, sort, pages (issue 11). The older cases are in people.test.ts. */
let t: TestApp;
let big: { structureId: string; manager: string; officerId: string };
beforeAll(async () => {
  t = await startTestApp();
  // Another structure with 60 people: pages, sorts, and what the demo agents must never see.
  const other = await aStructure(t.handle.db);
  const manager = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] });
  const officer = await anAgent(t.handle.db, {
    structureId: other.structure.id,
    roles: ["probation_officer"],
    serviceId: other.spipServiceId,
  });
  for (let i = 0; i < 60; i += 1)
    await aPerson(t.handle.db, {
      structureId: other.structure.id,
      referentUserId: officer.id,
      referentServiceId: other.spipServiceId,
      identity: {
        lastName: `Zéphyr-${String(i).padStart(2, "0")}`,
        firstName: i === 7 ? "Régine" : "Alix",
        birthDate: `${1940 + i}-01-0${1 + (i % 9)}`,
        phone: i === 7 ? "+33612345678" : "",
      },
    });
  big = { structureId: other.structure.id, manager: manager.email, officerId: officer.id };
  // Every demo person convoked once: the counselor (the default reader below) sees them all.
  const demoPeople = await t.handle.db
    .select({ id: person.id })
    .from(person)
    .where(eq(person.structureId, t.demoStructureId));
  await convokedOnce(t, ...demoPeople.map((p) => p.id));
});
afterAll(() => t.close());

interface ListAnswer {
  people: PersonSummary[];
  closeMatches: PersonSummary[];
  total: number;
  page: number;
  pageSize: number;
}
const get = async (url: string, email?: string) =>
  t.app.inject({ method: "GET", url, headers: email ? await t.sessionFor(email) : {} });
const list = async (query: string, email: string = demo.counselor): Promise<ListAnswer> => {
  const response = await get(`/api/people?${query}`, email);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const names = (answer: ListAnswer) => answer.people.map((p) => `${p.firstName} ${p.lastName}`);
const journalRows = async () =>
  (await rowsOf<{ n: number }>(t.handle.db, sql`select count(*)::int as n from audit_event`))[0]!.n;

describe("GET /api/people: search, filters, sort and pages", () => {
  it("401 when anonymous", async () => {
    expect((await get("/api/people?search=regine")).statusCode).toBe(401);
    expect((await get("/api/people/filter-options")).statusCode).toBe(401);
  });

  it("403 for roles without nominative records; another structure's agent finds none of its people", async () => {
    for (const email of [demo.steering, demo.partner, demo.admin]) {
      expect((await get("/api/people?search=benali", email)).statusCode).toBe(403);
      expect((await get("/api/people/filter-options", email)).statusCode).toBe(403);
    }
    expect(await list("search=benali", big.manager)).toMatchObject({ people: [], total: 0 });
    // The 60 people of the other structure never reach a demo agent, whatever the search.
    for (const email of [demo.manager, demo.counselor, demo.cpip])
      expect((await list("search=zephyr", email)).total, email).toBe(0);
    expect((await list("search=06 12 34 56 78", demo.manager)).people.map((p) => p.lastName)).toEqual([
      "Benali",
    ]);
    const options = (await get("/api/people/filter-options", big.manager)).json();
    expect(options.sites).toEqual([]);
    expect(options.referents.map((r: { id: string }) => r.id)).toEqual([big.officerId]);
  });

  it("400 on a bad query, listing each field, and nothing is written", async () => {
    const before = await journalRows();
    for (const [query, field] of [
      ["page=0", "query.page"],
      ["page=abc", "query.page"],
      ["sort=age", "query.sort"],
      ["order=up", "query.order"],
      ["fileState=open", "query.fileState"],
      ["referent=moi", "query.referent"],
      ["site=1", "query.site"],
      ["status=libre", "query.status"],
      ["withoutConvocationWeeks=0", "query.withoutConvocationWeeks"],
      ["upcoming=yes", "query.upcoming"],
      [`search=${"a".repeat(101)}`, "query.search"],
    ] as const) {
      const response = await get(`/api/people?${query}`, demo.cpip);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().issues.map((i: { path: string }) => i.path)).toContain(field);
    }
    const unknown = await get("/api/people?limit=1000", demo.cpip);
    expect(unknown.statusCode).toBe(400);
    expect(await journalRows()).toBe(before);
  });

  it("finds people without accents or case, names in any order, parts of names", async () => {
    for (const typed of ["regine", "RÉGINE", "chérif régine", "regine cherif", "CHER", "gine"])
      expect(names(await list(`search=${encodeURIComponent(typed)}`)), typed).toEqual(["Régine Chérif"]);
    for (const typed of ["karim benali", "benali karim", "Benali", "kar ben"])
      expect(names(await list(`search=${encodeURIComponent(typed)}`)), typed).toEqual(["Karim Benali"]);
    expect((await list("search=xyzabc")).people).toEqual([]);
    // Punctuation alone names nobody (it used to list everyone, "%" included).
    for (const typed of ["%", "_", "'", "\\", "-"])
      expect((await list(`search=${encodeURIComponent(typed)}`)).people, typed).toEqual([]);
  });

  it("a misspelt name finds nobody but offers the closest names, within the agent's scope, journaled", async () => {
    for (const typed of ["benalli", "karim benalli", "bénali karime"]) {
      const answer = await list(`search=${encodeURIComponent(typed)}`);
      expect(answer.total, typed).toBe(0);
      expect(answer.people, typed).toEqual([]);
      expect(
        answer.closeMatches.map((p) => `${p.firstName} ${p.lastName}`),
        typed,
      ).toContain("Karim Benali");
    }
    // An exact match offers nothing more; nonsense offers nothing.
    expect((await list("search=benali")).closeMatches).toEqual([]);
    expect((await list("search=xyzabc")).closeMatches).toEqual([]);
    // Another structure's people are never offered, however close ("Zéphyr-07 Régine" there).
    expect((await list("search=zephir", demo.counselor)).closeMatches).toEqual([]);
    const theirs = await list("search=zephir", big.manager);
    expect(theirs.closeMatches.length).toBeGreaterThan(0);
    // The names offered are journaled as read, like the list's.
    const response = await get("/api/people?search=benalli", demo.counselor);
    const rows = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.requestId, response.headers["x-request-id"] as string));
    expect(rows.map((r) => r.targetId).sort()).toEqual(
      response
        .json()
        .closeMatches.map((p: PersonSummary) => p.id)
        .sort(),
    );
  });

  it("finds a phone typed in any format, and a birth date", async () => {
    for (const typed of [
      "06 12 34 56 78",
      "0612345678",
      "06.12.34.56.78",
      "+33 6 12 34 56 78",
      "0033612345678",
    ])
      expect(names(await list(`search=${encodeURIComponent(typed)}`)), typed).toEqual(["Karim Benali"]);
    expect(names(await list(`search=${encodeURIComponent("14/03/1988")}`))).toEqual(["Karim Benali"]);
    expect(names(await list("search=1988-03-14"))).toEqual(["Karim Benali"]);
    expect(names(await list("search=14031988"))).toEqual(["Karim Benali"]);
    expect((await list(`search=${encodeURIComponent("31/02/1988")}`)).people).toEqual([]);
    // Eight digits that make no day are not a date: phone digits, which nobody's number holds here.
    expect((await list("search=31021988")).people).toEqual([]);
  });

  it("pages by 50 with the total, sorts by each column, both ways", async () => {
    const first = await list("", big.manager);
    expect(first).toMatchObject({ total: 60, page: 1, pageSize: 50 });
    expect(first.people).toHaveLength(50);
    const second = await list("page=2", big.manager);
    expect(second.people).toHaveLength(10);
    expect(new Set([...first.people, ...second.people].map((p) => p.id)).size).toBe(60);
    expect(await list("page=3", big.manager)).toMatchObject({ people: [], total: 60, page: 3 });
    const byName = first.people.map((p) => p.lastName);
    expect(byName).toEqual([...byName].sort());
    const desc = (await list("sort=name&order=desc", big.manager)).people.map((p) => p.lastName);
    expect(desc[0]).toBe("Zéphyr-59");
    const births = (await list("sort=birthDate&order=desc", big.manager)).people.map((p) => p.birthDate);
    expect(births).toEqual([...births].sort().reverse());
    for (const sort of ["nextConvocation", "measureEnd", "referent"]) {
      const answer = await list(`sort=${sort}`, demo.manager);
      expect(answer.total, sort).toBe(12);
    }
    const ends = (await list("sort=measureEnd", demo.manager)).people.map((p) => p.measureEndDate ?? "9999");
    expect(ends).toEqual([...ends].sort());
    const next = (await list("sort=nextConvocation", demo.manager)).people.map((p) => p.nextConvocationAt);
    const planned = next.filter((n): n is string => n !== null);
    expect(next.slice(0, planned.length)).toEqual([...planned].sort());
  });

  it("filters by situation, referent, closed files, and keeps 'mine'", async () => {
    const semi = await list("status=semi_liberte", demo.manager);
    expect(semi.people.every((p) => p.status === "semi_liberte")).toBe(true);
    expect(semi.total).toBe(2);
    const [cpip2] = await t.handle.db.select().from(user).where(eq(user.email, demo.cpip2));
    const referred = await list(`referent=${cpip2!.id}`, demo.manager);
    expect(referred.total).toBe(5);
    expect(referred.people.every((p) => p.referentName === cpip2!.displayName)).toBe(true);
    expect((await list("mine=true", demo.cpip)).people.every((p) => p.isMine)).toBe(true);

    const [karim] = await t.handle.db.select().from(person).where(eq(person.lastName, "Benali"));
    await t.handle.db.update(person).set({ closedAt: t.clock.now() }).where(eq(person.id, karim!.id));
    try {
      expect((await list("search=benali")).people).toEqual([]);
      expect(names(await list("search=benali&fileState=closed"))).toEqual(["Karim Benali"]);
      expect((await list("fileState=all", demo.manager)).total).toBe(12);
      expect((await list("", demo.manager)).total).toBe(11);
    } finally {
      await t.handle.db.update(person).set({ closedAt: null }).where(eq(person.id, karim!.id));
    }
  });

  it("filters on convocations and démarches as the database holds them", async () => {
    const now = t.clock.now().toISOString();
    const upcoming = await list("upcoming=true", demo.manager);
    const expectedUpcoming = await rowsOf<{ person_id: string }>(
      t.handle.db,
      sql`select distinct person_id from convocation where status = 'planned' and starts_at > ${now}`,
    );
    expect(upcoming.people.map((p) => p.id).sort()).toEqual(expectedUpcoming.map((r) => r.person_id).sort());
    expect(upcoming.people.every((p) => p.nextConvocationAt !== null)).toBe(true);

    const quiet = await list("withoutConvocationWeeks=4", demo.manager);
    const since = new Date(t.clock.now().getTime() - 28 * 86_400_000).toISOString();
    const busy = await rowsOf<{ person_id: string }>(
      t.handle.db,
      sql`select distinct person_id from convocation where (starts_at >= ${since} and starts_at <= ${now}) or (status = 'planned' and starts_at > ${now})`,
    );
    const busyIds = new Set(busy.map((r) => r.person_id));
    expect(quiet.people.every((p) => !busyIds.has(p.id) && p.nextConvocationAt === null)).toBe(true);
    expect(quiet.total + busyIds.size).toBe(12);

    const open = await list("openDemarche=true", demo.manager);
    const withOpen = await rowsOf<{ person_id: string }>(
      t.handle.db,
      sql`select distinct person_id from demarche where status not in ('granted', 'rejected', 'abandoned', 'reoriented')`,
    );
    expect(open.people.map((p) => p.id).sort()).toEqual(withOpen.map((r) => r.person_id).sort());

    const [meaux] = await t.handle.db
      .select()
      .from(site)
      .where(and(eq(site.structureId, t.demoStructureId), eq(site.name, "Meaux")));
    expect(meaux).toBeDefined();
    const atSite = await list(`site=${meaux!.id}`, demo.manager);
    const convoked = await rowsOf<{ person_id: string }>(
      t.handle.db,
      sql`select distinct person_id from convocation where site_id = ${meaux!.id}`,
    );
    expect(atSite.people.map((p) => p.id).sort()).toEqual(convoked.map((r) => r.person_id).sort());
  });

  it("a CPIP finds only the people of their service, even by phone", async () => {
    const answer = await list("search=regine", demo.cpip);
    expect(names(answer)).toEqual(["Régine Chérif"]);
    const outsiders = await t.handle.db
      .select({ id: person.id })
      .from(person)
      .innerJoin(referent, and(eq(referent.personId, person.id), isNull(referent.endedAt)))
      .where(inArray(referent.userId, [big.officerId]));
    expect(outsiders).toHaveLength(60);
    const seen = (await list("search=regine", big.manager)).people.map((p) => p.id);
    expect(seen).toHaveLength(1);
    expect(outsiders.map((o) => o.id)).toContain(seen[0]);
  });

  it("journals the people a search answer names", async () => {
    const response = await get("/api/people?search=benali", demo.counselor);
    const rows = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.requestId, response.headers["x-request-id"] as string));
    expect(rows.map((r) => r.targetId)).toEqual([response.json().people[0].id]);
  });
});
