import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/createDb";
import { openTestDb, type TestDbHandle } from "../../testing/testDb";
import { FOLD_FROM, personSearchKey, searchFold } from "./search";

let handle: TestDbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(() => handle.close());

/** Letters of the table, ligatures, ASCII, punctuation and a few characters outside the table. */
const typedChar = fc.constantFrom(...FOLD_FROM, ..."œŒæÆß azAZ09-'.,+()/", "ǅ", "Ω", "ё", "K", "ﬁ", "😀");
const typedText = fc.array(typedChar, { maxLength: 24 }).map((c) => c.join(""));

describe("people search: the database folds exactly like searchFold()", () => {
  it("property: search_fold(x) in SQL equals searchFold(x) in TypeScript", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(typedText, { minLength: 1, maxLength: 20 }), async (texts) => {
        const rows = await rowsOf<{ folded: string }>(
          handle.db,
          sql`select public.search_fold(t) as folded from json_array_elements_text(${JSON.stringify(texts)}::json) with ordinality as u(t, n) order by n`,
        );
        expect(rows.map((r) => r.folded)).toEqual(texts.map(searchFold));
      }),
      { seed: 21, numRuns: 60 },
    );
  });

  it("computes the same key as personSearchKey(), phone forms included", async () => {
    const cases: [string, string, string][] = [
      ["Benali", "Karim", "+33612345678"],
      ["Chérif", "Régine", "+33600000008"],
      ["N'Diaye-Œuvray", "Jean Pierre", ""],
      ["Müller", "Zoë", "+32470123456"],
    ];
    for (const [last, first, phone] of cases) {
      const [row] = await rowsOf<{ key: string }>(
        handle.db,
        sql`select public.person_search_key(${last}, ${first}, ${phone}) as key`,
      );
      expect(row?.key).toBe(personSearchKey(last, first, phone));
    }
  });
});
