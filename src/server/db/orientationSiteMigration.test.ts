import { eq } from "drizzle-orm";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "../db/createDb";
import { aConvocation, anAgent, aPerson, aStructure } from "../testing/builders";
import { databaseBefore, migrationsFolder } from "../testing/migrationsBefore";
import { demarche, demarcheType, orientation, partner, site, visit } from "./schema";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("the orientation-site backfill on an existing database", () => {
  it("gives a site-less orientation its démarche's site, else the latest visit recorded before it", async () => {
    const { db: raw, close } = await databaseBefore("0044_orientation_site_backfill");
    cleanups.push(close);
    const db = raw as unknown as Db;
    const { structure, spipServiceId } = await aStructure(db);
    const cpip = await anAgent(db, { structureId: structure.id, roles: ["probation_officer"] });
    const aSite = async (name: string) =>
      (
        await db
          .insert(site)
          .values({ structureId: structure.id, name, kind: "france_services", address: "1 rue du Test" })
          .returning()
      )[0]!.id;
    const [early, later, ofDemarche] = [
      await aSite("Tôt"),
      await aSite("Plus tard"),
      await aSite("Démarche"),
    ];
    const personOf = () =>
      aPerson(db, { structureId: structure.id, referentUserId: cpip.id, referentServiceId: spipServiceId });
    const aVisit = async (personId: string, siteId: string, startedAt: string, createdAt: string) => {
      const held = await aConvocation(db, {
        personId,
        structureId: structure.id,
        bookedBy: cpip.id,
        siteId,
        startsAt: new Date(startedAt),
        status: "honoured",
      });
      await db.insert(visit).values({
        structureId: structure.id,
        personId,
        convocationId: held.id,
        siteId,
        counselorUserId: cpip.id,
        startedAt: new Date(startedAt),
        durationMinutes: 30,
        autonomy: "guided",
        createdAt: new Date(createdAt),
      });
    };
    const anOrientation = async (personId: string, createdAt: string, demarcheId: string | null = null) =>
      (
        await db
          .insert(orientation)
          .values({
            structureId: structure.id,
            personId,
            demarcheId,
            target: "mediation",
            reason: "Dossier complexe",
            status: "sent",
            createdBy: cpip.id,
            createdAt: new Date(createdAt),
          })
          .returning()
      )[0]!.id;

    // Seen early: the 10:00 visit recorded at 9:40, reoriented at 9:45 (the bug left it without a site).
    const seenEarly = await personOf();
    await aVisit(seenEarly.id, early, "2026-03-02T08:00:00Z", "2026-03-01T08:00:00Z");
    await aVisit(seenEarly.id, later, "2026-03-10T09:00:00Z", "2026-03-10T08:40:00Z");
    const afterEarlyVisit = await anOrientation(seenEarly.id, "2026-03-10T08:45:00Z");
    // Its démarche's site comes first.
    const [type] = await db
      .insert(partner)
      .values({ code: `p-${Date.now()}`, name: "Partenaire", kind: "national_operator" })
      .returning();
    const [kind] = await db
      .insert(demarcheType)
      .values({ partnerId: type!.id, code: `t-${Date.now()}`, label: "Démarche", category: "justice" })
      .returning();
    const [started] = await db
      .insert(demarche)
      .values({
        structureId: structure.id,
        personId: seenEarly.id,
        demarcheTypeId: kind!.id,
        siteId: ofDemarche,
        helpLevel: "guided",
        status: "in_progress",
        createdBy: cpip.id,
      })
      .returning();
    const withDemarche = await anOrientation(seenEarly.id, "2026-03-10T08:50:00Z", started!.id);
    // No visit recorded before it: stays without a site.
    const neverSeen = await personOf();
    const beforeAnyVisit = await anOrientation(neverSeen.id, "2026-03-01T08:00:00Z");
    await aVisit(neverSeen.id, later, "2026-03-05T08:00:00Z", "2026-03-05T08:30:00Z");

    await migrate(raw, { migrationsFolder });

    const siteOf = async (id: string) =>
      (await db.select({ siteId: orientation.siteId }).from(orientation).where(eq(orientation.id, id)))[0]!
        .siteId;
    expect(await siteOf(afterEarlyVisit)).toBe(later);
    expect(await siteOf(withDemarche)).toBe(ofDemarche);
    expect(await siteOf(beforeAnyVisit)).toBeNull();
  }, 60_000);
});
