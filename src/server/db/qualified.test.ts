import { sql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { qualified } from "./qualified";
import { measure, person } from "./schema";

describe("qualified columns", () => {
  it("keep their table in the fields of a one-table select, where Drizzle drops it", () => {
    const bare = sql`(select max(${measure.endDate}) from ${measure} where ${measure.personId} = ${person.id})`;
    const correlated = sql`(select max(${qualified(measure.endDate)}) from ${measure} where ${qualified(measure.personId)} = ${qualified(person.id)})`;
    const text = (fragment: typeof bare) =>
      new QueryBuilder().select({ end: fragment }).from(person).toSQL().sql;
    expect(text(bare)).toContain(`where "person_id" = "id"`);
    expect(text(correlated)).toContain(
      `max("measure"."end_date") from "measure" where "measure"."person_id" = "person"."id"`,
    );
  });
});
