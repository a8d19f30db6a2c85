import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finalDemarcheStatuses } from "../../common/accompaniment/accompaniment.schema";
import type { FileSummary } from "../../common/people/people.schema";
import {
  consent,
  convocation,
  demarche,
  demarcheType,
  needAssessment,
  person,
  site,
  visit,
} from "../db/schema";
import { aConvocation } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  // Karim: a visit (two open démarches, one granted, needs of which one is none), a convocation to come.
  const db = t.handle.db;
  const [karim] = await db.select().from(person).where(eq(person.firstName, "Karim"));
  const [meaux] = await db.select().from(site).where(eq(site.name, "Meaux"));
  const types = Object.fromEntries((await db.select().from(demarcheType)).map((d) => [d.code, d.id]));
  const convoke = async (startsAt: Date, status: "honoured" | "planned") =>
    (
      await aConvocation(db, {
        personId: karim!.id,
        structureId: t.demoStructureId,
        bookedBy: await t.userId(demo.cpip),
        siteId: meaux!.id,
        startsAt,
        status,
      })
    ).id;
  const honoured = await convoke(new Date(Date.now() - 3 * 86_400_000), "honoured");
  await convoke(new Date(Date.now() + 90 * 86_400_000), "planned");
  const visited = await t.app.inject({
    method: "POST",
    url: `/api/convocations/${honoured}/visit`,
    headers: await t.sessionFor(demo.counselor),
    payload: {
      durationMinutes: 50,
      autonomy: "guided",
      created: [
        {
          demarcheTypeId: types["ants-cni-passeport"],
          helpLevel: "guided",
          status: "in_progress",
          timeSpentMinutes: 20,
        },
        {
          demarcheTypeId: types["cpam-css"],
          helpLevel: "done_for",
          status: "submitted",
          timeSpentMinutes: 25,
        },
        { demarcheTypeId: types["caf-rsa"], helpLevel: "done_for", status: "granted", timeSpentMinutes: 10 },
      ],
      needs: [
        { domain: "acces-aux-droits", hasNeed: true, priority: "high" },
        { domain: "emploi", hasNeed: false },
      ],
    },
  });
  expect(visited.statusCode, visited.body).toBe(200);
});
afterAll(() => t.close());

/** The summary worked out in JavaScript from every row of the person: an oracle independent of the SQL. */
async function expectedSummary(personId: string, now: Date) {
  const db = t.handle.db;
  const consents = await db
    .select()
    .from(consent)
    .where(and(eq(consent.personId, personId), isNull(consent.revokedAt)));
  const planned = (
    await db
      .select({
        id: convocation.id,
        startsAt: convocation.startsAt,
        status: convocation.status,
        siteName: site.name,
      })
      .from(convocation)
      .innerJoin(site, eq(site.id, convocation.siteId))
      .where(eq(convocation.personId, personId))
  )
    .filter((c) => c.status === "planned" && c.startsAt > now)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const latest = new Map<string, { at: number; hasNeed: boolean }>();
  for (const n of await db.select().from(needAssessment).where(eq(needAssessment.personId, personId))) {
    const seen = latest.get(n.domain);
    if (!seen || n.assessedAt.getTime() > seen.at)
      latest.set(n.domain, { at: n.assessedAt.getTime(), hasNeed: n.hasNeed });
  }
  const open = (
    await db
      .select({
        id: demarche.id,
        status: demarche.status,
        updatedAt: demarche.updatedAt,
        label: demarcheType.label,
      })
      .from(demarche)
      .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
      .where(eq(demarche.personId, personId))
  ).filter((d) => !(finalDemarcheStatuses as readonly string[]).includes(d.status));
  const visits = await db.select({ at: visit.startedAt }).from(visit).where(eq(visit.personId, personId));
  const lastVisit = Math.max(...visits.map((v) => v.at.getTime()));
  return {
    consents: consents.map((c) => c.collectedAt.toISOString()),
    next: planned[0]
      ? { id: planned[0].id, startsAt: planned[0].startsAt.toISOString(), siteName: planned[0].siteName }
      : null,
    openNeeds: [...latest.entries()]
      .filter(([, v]) => v.hasNeed)
      .map(([domain]) => domain)
      .sort(),
    open,
    lastVisitAt: visits.length > 0 ? new Date(lastVisit).toISOString() : null,
  };
}

describe("the summary at the top of a person's file", () => {
  it("says, for every demo person, what their rows say (consent, next convocation, needs, open démarches, last visit)", async () => {
    const headers = await t.sessionFor(demo.manager);
    const people = await t.handle.db
      .select({ id: person.id })
      .from(person)
      .where(eq(person.structureId, t.demoStructureId));
    expect(people.length).toBeGreaterThan(5);
    let withDemarches = 0;
    let withNeeds = 0;
    let withNext = 0;
    for (const p of people) {
      const answer = await t.app.inject({ method: "GET", url: `/api/people/${p.id}`, headers });
      expect(answer.statusCode).toBe(200);
      const summary = (answer.json() as { summary: FileSummary }).summary;
      const expected = await expectedSummary(p.id, new Date());
      if (expected.consents.length === 0) expect(summary.consentSince).toBeNull();
      else expect(expected.consents).toContain(summary.consentSince);
      expect(summary.nextConvocation).toEqual(expected.next);
      expect([...summary.openNeeds].sort()).toEqual(expected.openNeeds);
      expect(summary.lastVisitAt).toBe(expected.lastVisitAt);
      // The 50 last changed, newest first (démarches changed at the same instant in any order).
      expect(summary.openDemarches).toHaveLength(Math.min(50, expected.open.length));
      const byId = new Map(expected.open.map((d) => [d.id, d]));
      let previous = Number.POSITIVE_INFINITY;
      for (const d of summary.openDemarches) {
        const row = byId.get(d.id);
        expect(row).toBeDefined();
        expect(d).toEqual({ id: row!.id, label: row!.label ?? "Démarche", status: row!.status });
        expect(row!.updatedAt.getTime()).toBeLessThanOrEqual(previous);
        previous = row!.updatedAt.getTime();
      }
      if (expected.open.length > 0) withDemarches += 1;
      if (expected.openNeeds.length > 0) withNeeds += 1;
      if (expected.next) withNext += 1;
    }
    // The demo holds each case, so the comparison above is not of empty lists only.
    expect(withDemarches).toBeGreaterThan(0);
    expect(withNeeds).toBeGreaterThan(0);
    expect(withNext).toBeGreaterThan(0);
  });
});
