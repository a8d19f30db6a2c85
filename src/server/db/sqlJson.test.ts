import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestDbHandle } from "../testing/testDb";
import { preparedRowsOf, rowsOf } from "./createDb";
import { compiledOnce, isoTime } from "./sqlJson";

let handle: TestDbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle.close();
});

describe("JSON built by SQL for the person file (ADR 0033)", () => {
  it("prints a timestamp as toISOString does, milliseconds truncated as node-postgres reads them", async () => {
    const micros = fc.sample(fc.integer({ min: 0, max: 4_102_444_800_000_000 - 1 }), {
      numRuns: 50,
      seed: 33,
    });
    for (const us of micros) {
      const [row] = await rowsOf<{ iso: string; at: Date | string }>(
        handle.db,
        sql`select ${isoTime(sql`to_timestamp(${us}::float8 / 1000000)`)} as iso, to_timestamp(${us}::float8 / 1000000) as at`,
      );
      expect(row!.iso).toBe(new Date(row!.at).toISOString());
    }
  });

  it("compiles a fragment without values once, and refuses one that binds a value", () => {
    expect(() => compiledOnce(sql`select ${1}`)).toThrow(/parameter/);
    expect(compiledOnce(sql`select p.id from ${sql.raw("person")} p`)).toBeDefined();
  });

  it("runs the same text again as a prepared statement, with its values bound", async () => {
    for (const n of [1, 2, 3, 7, 11, 13]) {
      const rows = await preparedRowsOf<{ n: number }>(handle.db, sql`select ${n}::int + 1 as n`);
      expect(rows).toEqual([{ n: n + 1 }]);
    }
  });
});
