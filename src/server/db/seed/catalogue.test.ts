import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { asc, count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestDbHandle } from "../../testing/testDb";
import { demarche, demarcheType, partner } from "../schema";
import { documentsByCode, partners } from "./catalogue";

let db: TestDbHandle;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db.close());

const migrations = fileURLToPath(new URL("../migrations", import.meta.url));
const file = readdirSync(migrations).find((name) => name.endsWith("_catalogue_every_partner.sql"));
const migration = readFileSync(`${migrations}/${file}`, "utf8");
const typeCount = async () => (await db.db.select({ n: count() }).from(demarcheType))[0]!.n;

describe("démarche catalogue", () => {
  it("gives every partner of the catalogue at least one démarche type", async () => {
    const rows = await db.db
      .select({ code: partner.code, types: count(demarcheType.id) })
      .from(partner)
      .leftJoin(demarcheType, eq(demarcheType.partnerId, partner.id))
      .groupBy(partner.code)
      .orderBy(asc(partner.code));
    // The 13 national partners and the local domiciliation, plus the demo's IAE employer (an
    // administrator's addition: its démarches are the IAE orientation, not catalogue types).
    expect(rows.map((r) => r.code).filter((code) => !partners.some((p) => p.code === code))).toEqual([
      "jardins-de-la-brie",
    ]);
    expect(rows).toHaveLength(partners.length + 1);
    expect(partners).toHaveLength(14);
    for (const row of rows.filter((r) => r.code !== "jardins-de-la-brie"))
      expect({ code: row.code, hasTypes: row.types > 0 }).toEqual({ code: row.code, hasTypes: true });
    for (const p of partners) expect(p.demarches.length, p.code).toBeGreaterThan(0);
  });

  it("adds the missing types to an existing database once, the same as the seed", async () => {
    const before = await typeCount();
    await db.db.execute(sql.raw(migration));
    expect(await typeCount()).toBe(before);

    // A database from before: the new types (not yet used by a démarche) are not there.
    const added = partners
      .filter((p) => ["msa", "france-renov", "cheque-energie", "urssaf", "agirc-arrco"].includes(p.code))
      .flatMap((p) => p.demarches.map(([code]) => code))
      .filter((code) => code !== "agirc-arrco-releve");
    const used = await db.db
      .selectDistinct({ code: demarcheType.code })
      .from(demarche)
      .innerJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
      .where(inArray(demarcheType.code, added));
    const removable = added.filter((code) => !used.some((u) => u.code === code));
    expect(removable.length).toBeGreaterThan(0);
    await db.db.delete(demarcheType).where(inArray(demarcheType.code, removable));
    expect(await typeCount()).toBe(before - removable.length);

    await db.db.execute(sql.raw(migration));
    await db.db.execute(sql.raw(migration));
    expect(await typeCount()).toBe(before);
    const rows = await db.db
      .select({
        code: demarcheType.code,
        label: demarcheType.label,
        category: demarcheType.category,
        documents: demarcheType.documents,
        partner: partner.code,
      })
      .from(demarcheType)
      .innerJoin(partner, eq(partner.id, demarcheType.partnerId))
      .where(inArray(demarcheType.code, added));
    const seeded = partners.flatMap((p) =>
      p.demarches
        .filter(([code]) => added.includes(code))
        .map(([code, label, category]) => ({
          code,
          label,
          category,
          documents: documentsByCode[code] ?? [],
          partner: p.code,
        })),
    );
    expect(rows.sort((a, b) => a.code.localeCompare(b.code))).toEqual(
      seeded.sort((a, b) => a.code.localeCompare(b.code)),
    );
  });
});
