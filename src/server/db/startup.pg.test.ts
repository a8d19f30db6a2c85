import { randomBytes } from "node:crypto";
import { eq, type SQL, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_TODAY, withDatabase } from "../testing/constants";
import { createDb } from "./createDb";
import { afterMigrations } from "./prepare";
import { structure } from "./schema";

/**
 * Point 9d: instances started together on a fresh database take turns under the advisory lock:
 * every one starts, the migrations run once, and there is one demo data set.
 */
const adminUrl = process.env.TEST_DATABASE_URL ?? "";
const name = `passerelle_start_${randomBytes(4).toString("hex")}`;

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(() => admin(`CREATE DATABASE "${name}"`));
afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

describe("four instances starting at once on an empty database", () => {
  it("all migrate and seed without error, and the demo data is loaded exactly once", async () => {
    const today = new Date(`${TEST_TODAY}T09:00:00Z`);
    const instances = await Promise.all(
      [1, 2, 3, 4].map(() => createDb({ driver: "pg", url: withDatabase(adminUrl, name), poolSize: 1 })),
    );
    try {
      const results = await Promise.allSettled(
        instances.map((instance) =>
          instance.migrate((db) => afterMigrations(db, { appRole: null, demoAsOf: today })),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
      const seeded = results.filter((r) => r.status === "fulfilled" && (r.value?.length ?? 0) > 0);
      expect(seeded).toHaveLength(1);
      const [first] = instances;
      if (!first) throw new Error("no instance");
      const demo = await first.db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
      expect(demo).toHaveLength(1);
      // The demo's activity came in the same unit as its structure; each migration ran once.
      const count = async (query: SQL) =>
        ((await first.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]?.n;
      expect(await count(sql`select count(*)::int as n from visit`)).toBeGreaterThan(0);
      const migrations = await count(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      const distinct = await count(
        sql`select count(distinct hash)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(migrations).toEqual(distinct);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  }, 120_000);
});
