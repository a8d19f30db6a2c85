import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import { orientationStatuses } from "../../../common/orientations/orientations.schema";
import { systemClock } from "../../core/clock";
import type { Deps } from "../../core/deps";
import { parisInstant } from "../../core/parisTime";
import { rowsOf } from "../../db/createDb";
import {
  convocation,
  demarche,
  demarcheType,
  needAssessment,
  orientation,
  partner,
  site,
  visit,
} from "../../db/schema";
import { anAgent, aPerson, aStructure } from "../../testing/builders";
import { openTestDb, type TestDbHandle } from "../../testing/testDb";
import { cachedFigures, createFigureCache, figuresVersion } from "./figureCache";
import type { ResolvedScope } from "./policies";
import { monthBounds } from "./rules";
import { computeFigures } from "./use-cases/GetDashboard";

/**
 * The figure cache is exact: after any sequence of writes (committed or rolled back) to what the
 * figures are computed from, a read through the cache gives the figures computed afresh.
 */
let handle: TestDbHandle;
let deps: Deps;
let plain: Deps;
beforeAll(async () => {
  handle = await openTestDb();
  const config = {
    SESSION_IDLE_MINUTES: 30,
    SESSION_ABSOLUTE_HOURS: 12,
    PUBLIC_URL: "http://localhost",
    SMS_WEBHOOK_TOKEN: undefined,
    EXPORT_TIMEOUT_MS: 60_000,
  };
  deps = { db: handle.db, clock: systemClock, config, figureCache: createFigureCache() };
  plain = { ...deps, figureCache: undefined };
});
afterAll(() => handle.close());

const filters = { from: "2026-01", to: "2026-06" };
function scopeOf(structureIds: string[], siteId?: string): ResolvedScope {
  const { fromMonth, untilMonth } = monthBounds(filters.from, filters.to);
  return {
    allowedStructureIds: structureIds,
    structureIds,
    siteId,
    fromMonth,
    untilMonth,
    fromAt: parisInstant(fromMonth, "00:00"),
    untilAt: parisInstant(untilMonth, "00:00"),
    protect: false,
  };
}
const at = (day: number) => new Date(Date.UTC(2026, 0, 1 + day, 9));

describe("stat_version triggers", () => {
  it("every rollup table and the milestones carry the version trigger", async () => {
    const missing = await rowsOf<{ table_name: string }>(
      handle.db,
      sql`select t.table_name from information_schema.tables t
        where t.table_schema = 'public' and (t.table_name like 'stat\\_%' or t.table_name = 'person_milestone')
          and t.table_name <> 'stat_version'
          and not exists (select 1 from pg_trigger g where g.tgrelid = t.table_name::regclass
            and g.tgname = 'stat_version_touch')`,
    );
    expect(missing.map((r) => r.table_name)).toEqual([]);
  });

  it("a committed change bumps its structure's version once, a rolled back one does not", async () => {
    const { structure, spipServiceId } = await aStructure(handle.db);
    const { structure: other } = await aStructure(handle.db);
    const agent = await anAgent(handle.db, {
      structureId: structure.id,
      roles: ["probation_officer"],
      serviceId: spipServiceId,
    });
    const p = await aPerson(handle.db, {
      structureId: structure.id,
      referentUserId: agent.id,
      referentServiceId: spipServiceId,
    });
    const [type] = await handle.db.select({ id: demarcheType.id }).from(demarcheType).limit(1);
    const before = await figuresVersion(handle.db, [structure.id]);
    const otherBefore = await figuresVersion(handle.db, [other.id]);
    const values = {
      structureId: structure.id,
      personId: p.id,
      demarcheTypeId: type!.id,
      helpLevel: "information" as const,
      status: "in_progress" as const,
      createdBy: agent.id,
      createdAt: at(10),
    };
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(demarche).values(values);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await figuresVersion(handle.db, [structure.id])).toBe(before);
    await handle.db.transaction(async (tx) => {
      await tx.insert(demarche).values(values);
      await tx.insert(demarche).values(values);
    });
    const after = await figuresVersion(handle.db, [structure.id]);
    expect(BigInt(after)).toBeGreaterThan(BigInt(before));
    // Another structure's figures keep their version (its cached dashboards stay valid).
    expect(await figuresVersion(handle.db, [other.id])).toBe(otherBefore);
  });
});

type Op =
  | { op: "read"; site: boolean }
  | { op: "visit"; day: number; site: number }
  | { op: "demarche"; day: number; status: number; site: number }
  | { op: "demarcheStatus"; d: number; status: number }
  | { op: "demarcheSite"; d: number; site: number }
  | { op: "orient"; day: number; status: number; partner: number }
  | { op: "orientStatus"; o: number; status: number }
  | { op: "need"; day: number; hasNeed: boolean }
  | { op: "renamePartner"; partner: number }
  | { op: "rolledBack"; day: number };

const n = fc.nat({ max: 20 });
const day = fc.nat({ max: 170 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("read" as const), site: fc.boolean() }) },
  fc.record({ op: fc.constant("visit" as const), day, site: n }),
  fc.record({ op: fc.constant("demarche" as const), day, status: n, site: n }),
  fc.record({ op: fc.constant("demarcheStatus" as const), d: n, status: n }),
  fc.record({ op: fc.constant("demarcheSite" as const), d: n, site: n }),
  fc.record({ op: fc.constant("orient" as const), day, status: n, partner: n }),
  fc.record({ op: fc.constant("orientStatus" as const), o: n, status: n }),
  fc.record({ op: fc.constant("need" as const), day, hasNeed: fc.boolean() }),
  fc.record({ op: fc.constant("renamePartner" as const), partner: n }),
  fc.record({ op: fc.constant("rolledBack" as const), day }),
);
const pick = <T>(list: readonly T[], k: number): T => list[k % list.length]!;

describe("the figure cache", () => {
  it("never serves figures that differ from a fresh computation (random writes and reads)", async () => {
    const db = handle.db;
    const typeIds = (await db.select({ id: demarcheType.id }).from(demarcheType)).map((r) => r.id);
    const partnerIds = (await db.select({ id: partner.id }).from(partner)).map((r) => r.id).slice(0, 3);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
        const { structure, spipServiceId } = await aStructure(db);
        const s = structure.id;
        const sites = await db
          .insert(site)
          .values(
            ["A", "B"].map((name) => ({
              structureId: s,
              name,
              kind: "france_services" as const,
              address: name,
            })),
          )
          .returning();
        const agent = await anAgent(db, {
          structureId: s,
          roles: ["probation_officer", "counselor"],
          serviceId: spipServiceId,
        });
        const p = await aPerson(db, {
          structureId: s,
          referentUserId: agent.id,
          referentServiceId: spipServiceId,
        });
        let seat = 0;
        const demarches: string[] = [];
        const orientations: string[] = [];
        const demarcheValues = (o: { day: number; status: number; site: number }) => ({
          structureId: s,
          personId: p.id,
          demarcheTypeId: pick(typeIds, o.status),
          siteId: pick(sites, o.site).id,
          helpLevel: "information" as const,
          status: pick(demarcheStatuses, o.status),
          createdBy: agent.id,
          createdAt: at(o.day),
        });
        for (const o of ops) {
          switch (o.op) {
            case "read": {
              const scope = scopeOf([s], o.site ? sites[0]!.id : undefined);
              const cached = await computeFigures(deps, scope, filters);
              expect(cached).toEqual(await computeFigures(plain, scope, filters));
              break;
            }
            case "visit": {
              seat += 1;
              const [c] = await db
                .insert(convocation)
                .values({
                  structureId: s,
                  siteId: pick(sites, o.site).id,
                  personId: p.id,
                  startsAt: at(o.day),
                  endsAt: new Date(at(o.day).getTime() + 3_600_000),
                  seat,
                  status: "honoured",
                  notifySms: false,
                  notifyEmail: false,
                  bookedBy: agent.id,
                })
                .returning();
              await db.insert(visit).values({
                structureId: s,
                personId: p.id,
                convocationId: c!.id,
                siteId: pick(sites, o.site).id,
                counselorUserId: agent.id,
                startedAt: at(o.day),
                durationMinutes: 20,
                autonomy: "guided",
              });
              break;
            }
            case "demarche": {
              const [d] = await db.insert(demarche).values(demarcheValues(o)).returning();
              demarches.push(d!.id);
              break;
            }
            case "demarcheStatus":
              if (demarches.length > 0)
                await db
                  .update(demarche)
                  .set({ status: pick(demarcheStatuses, o.status) })
                  .where(eq(demarche.id, pick(demarches, o.d)));
              break;
            case "demarcheSite":
              // Changes no rollup row, only what the site filter reads.
              if (demarches.length > 0)
                await db
                  .update(demarche)
                  .set({ siteId: pick(sites, o.site).id })
                  .where(eq(demarche.id, pick(demarches, o.d)));
              break;
            case "orient": {
              const [created] = await db
                .insert(orientation)
                .values({
                  structureId: s,
                  personId: p.id,
                  demarcheId: demarches.length > 0 ? pick(demarches, o.day) : null,
                  target: "partner_back_office",
                  partnerId: pick(partnerIds, o.partner),
                  reason: "Test",
                  status: pick(orientationStatuses, o.status),
                  createdBy: agent.id,
                  createdAt: at(o.day),
                  sentAt: at(o.day),
                })
                .returning();
              orientations.push(created!.id);
              break;
            }
            case "orientStatus":
              if (orientations.length > 0)
                await db
                  .update(orientation)
                  .set({ status: pick(orientationStatuses, o.status), answeredAt: at(175) })
                  .where(eq(orientation.id, pick(orientations, o.o)));
              break;
            case "need":
              await db.insert(needAssessment).values({
                structureId: s,
                personId: p.id,
                domain: "acces-aux-droits",
                hasNeed: o.hasNeed,
                assessedAt: at(o.day),
                assessedBy: agent.id,
              });
              break;
            case "renamePartner":
              await db
                .update(partner)
                .set({ name: sql`${partner.name} || '·'` })
                .where(eq(partner.id, pick(partnerIds, o.partner)));
              break;
            case "rolledBack":
              await db
                .transaction(async (tx) => {
                  await tx.insert(demarche).values(demarcheValues({ day: o.day, status: 0, site: 0 }));
                  throw new Error("rolled back");
                })
                .catch(() => undefined);
              break;
          }
        }
      }),
      { numRuns: 15, seed: 12 },
    );
    // The property exercised the cache, not only fresh computations.
    expect(deps.figureCache!.hits).toBeGreaterThan(0);
  }, 120_000);
});

describe("figures asked twice at once", () => {
  /** A computation that ends when the test says so, counting how often it ran. */
  function heldComputation() {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runs = { count: 0 };
    const compute = async (): Promise<{ accompanied: number }> => {
      runs.count += 1;
      await gate;
      return { accompanied: 42 };
    };
    return { compute, runs, release };
  }
  /** Lets the requests under way read the version and reach their computation. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
  const bump = (structureId: string) =>
    rowsOf(
      handle.db,
      sql`insert into stat_version (structure_id, n) values (${structureId}, 1)
        on conflict (structure_id) do update set n = stat_version.n + 1`,
    );

  it("are computed once: the second request waits for the first's result", async () => {
    const { structure } = await aStructure(handle.db);
    const cache = createFigureCache();
    const { compute, runs, release } = heldComputation();
    const first = cachedFigures(handle.db, cache, "same", [structure.id], compute);
    await settle();
    const second = cachedFigures(handle.db, cache, "same", [structure.id], compute);
    await settle();
    release();
    expect(await Promise.all([first, second])).toEqual([{ accompanied: 42 }, { accompanied: 42 }]);
    expect(runs.count).toBe(1);
    expect({ hits: cache.hits, misses: cache.misses, running: cache.running.size }).toEqual({
      hits: 1,
      misses: 1,
      running: 0,
    });
  });

  it("are computed again when a change committed during the first computation", async () => {
    const { structure } = await aStructure(handle.db);
    const cache = createFigureCache();
    const { compute, runs, release } = heldComputation();
    const first = cachedFigures(handle.db, cache, "same", [structure.id], compute);
    await settle();
    const second = cachedFigures(handle.db, cache, "same", [structure.id], compute);
    await settle();
    await bump(structure.id);
    release();
    await Promise.all([first, second]);
    // The first result was not kept (the version moved): the second request computed its own.
    expect(runs.count).toBe(2);
    expect(cache.entries.has("same")).toBe(false);
  });
});
