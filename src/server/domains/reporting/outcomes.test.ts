import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { demarche, demarcheType, orientation, site } from "../../db/schema";
import { anAgent, aPerson, aStructure } from "../../testing/builders";
import { openTestDb, type TestDbHandle } from "../../testing/testDb";
import { orientationCounts } from "./aggregates";
import type { Computed } from "./dashboard";
import type { ResolvedScope } from "./policies";
import { presentDashboard } from "./rules";
import { computeFigures } from "./use-cases/GetDashboard";

/** Outcomes (rights granted, refused…) are counted in the month of the outcome: a closed month stays closed. */
let handle: TestDbHandle;
let db: Db;
beforeAll(async () => {
  handle = await openTestDb();
  db = handle.db;
});
afterAll(() => handle.close());

/** Midnight Europe/Paris on the first of a month of 2026 (winter time until March, summer time after). */
const parisMonthStart = (month: number): Date =>
  new Date(Date.UTC(2026, month - 1, 1, month >= 4 && month <= 10 ? -2 : -1));

function scopeOf(structureId: string, from: number, to: number, siteId?: string): ResolvedScope {
  const pad = (m: number) => `2026-${String(m).padStart(2, "0")}`;
  return {
    structureIds: [structureId],
    allowedStructureIds: [structureId],
    protect: false,
    siteId,
    fromMonth: `${pad(from)}-01`,
    untilMonth: `${pad(to + 1)}-01`,
    fromAt: parisMonthStart(from),
    untilAt: parisMonthStart(to + 1),
  };
}

async function shown(structureId: string, from: number, to: number, siteId?: string) {
  const pad = (m: number) => `2026-${String(m).padStart(2, "0")}`;
  const computed: Computed = await computeFigures(
    { db, clock: { now: () => new Date("2026-07-01T00:00:00Z") } } as unknown as Deps,
    scopeOf(structureId, from, to, siteId),
    { from: pad(from), to: pad(to) },
  );
  const { figures, tables } = presentDashboard(computed, false);
  const trend = tables.find((t) => t.id === "trend")!;
  const granted = trend.columns.findIndex((c) => c.label === "Droits ouverts");
  return {
    demarches: figures.find((f) => f.id === "demarches")?.value,
    grantedShare: figures.find((f) => f.id === "grantedShare")?.value,
    grantedByMonth: trend.rows.map((r) => r.values[granted]),
    partners: tables.find((t) => t.id === "demarchesByPartner")?.rows,
  };
}

/** A counselor of the structure and a person they refer. */
async function aCounselorAndPerson(structureId: string, serviceId: string) {
  const agent = await anAgent(db, { structureId, roles: ["counselor"], serviceId });
  const person = await aPerson(db, { structureId, referentUserId: agent.id, referentServiceId: serviceId });
  return { agent, personId: person.id };
}

describe("outcomes by outcome date", () => {
  it("granting in May an April démarche leaves February–April unchanged and counts in May", async () => {
    const { structure, spipServiceId } = await aStructure(db);
    const [atSite] = await db
      .insert(site)
      .values({ structureId: structure.id, name: "A", kind: "france_services", address: "A" })
      .returning();
    const { agent, personId } = await aCounselorAndPerson(structure.id, spipServiceId);
    const [type] = await db.select().from(demarcheType).limit(1);
    const start = async (month: number, status: "in_progress" | "rejected") => {
      const createdAt = new Date(Date.UTC(2026, month - 1, 10, 9));
      const [d] = await db
        .insert(demarche)
        .values({
          structureId: structure.id,
          personId,
          demarcheTypeId: type!.id,
          siteId: atSite!.id,
          helpLevel: "guided",
          status,
          createdBy: agent.id,
          createdAt,
          updatedAt: createdAt,
        })
        .returning();
      return d!;
    };
    const decide = (id: string, status: "granted" | "in_progress", at: Date) =>
      db.update(demarche).set({ status, updatedAt: at }).where(eq(demarche.id, id)).returning();

    await start(2, "rejected");
    const march = await start(3, "in_progress");
    await decide(march.id, "granted", new Date(Date.UTC(2026, 2, 20, 9)));
    const april = await start(4, "in_progress");

    const s = structure.id;
    const before = await shown(s, 2, 4);
    expect(before.demarches).toBe(3);
    expect(before.grantedByMonth).toEqual([0, 1, 0]);
    // Among the 2 outcomes of the period (February's refusal, March's grant), 1 right granted.
    expect(before.grantedShare).toBe(50);

    const [granted] = await decide(april.id, "granted", new Date(Date.UTC(2026, 4, 12, 9)));
    expect(granted!.outcomeAt).toEqual(new Date(Date.UTC(2026, 4, 12, 9)));
    expect(await shown(s, 2, 4)).toEqual(before);
    expect(await shown(s, 2, 4, atSite!.id)).toEqual(before);
    const may = await shown(s, 5, 5);
    expect([may.demarches, may.grantedByMonth, may.grantedShare]).toEqual([0, [1], 100]);
    expect(may.partners?.map((r) => r.values)).toEqual([[0, 1]]);
    expect((await shown(s, 5, 5, atSite!.id)).grantedByMonth).toEqual([1]);

    // A status corrected away from its outcome takes the outcome away from its month.
    const [corrected] = await decide(april.id, "in_progress", new Date(Date.UTC(2026, 4, 13, 9)));
    expect(corrected!.outcomeAt).toBeNull();
    expect((await shown(s, 5, 5)).grantedByMonth).toEqual([0]);
  }, 120_000);

  it("counts an orientation at its own site: the sites' figures add up to the total", async () => {
    const { structure, spipServiceId } = await aStructure(db);
    const sites = await db
      .insert(site)
      .values(
        ["A", "B"].map((name) => ({
          structureId: structure.id,
          name,
          kind: "france_services" as const,
          address: name,
        })),
      )
      .returning();
    const { agent, personId } = await aCounselorAndPerson(structure.id, spipServiceId);
    // Mediation reorientations without a démarche, decided at either site.
    for (const [k, at] of [sites[0], sites[1], sites[1]].entries())
      await db.insert(orientation).values({
        structureId: structure.id,
        personId,
        siteId: at!.id,
        target: "mediation",
        reason: "Test",
        status: "sent",
        createdBy: agent.id,
        createdAt: new Date(Date.UTC(2026, 2, 10 + k, 9)),
      });
    const n = async (siteId?: string) =>
      (await orientationCounts(db, scopeOf(structure.id, 3, 3, siteId))).reduce((t, r) => t + r.n, 0);
    expect([await n(), await n(sites[0]!.id), await n(sites[1]!.id)]).toEqual([3, 1, 2]);
  }, 120_000);
});
