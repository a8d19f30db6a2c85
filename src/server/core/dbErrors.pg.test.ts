import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./dbErrors";

/** A real deadlock and a real serialization failure, as PostgreSQL reports them: both are a 503. */
const url = process.env.TEST_DATABASE_URL ?? "";
const table = `dberrors_${randomBytes(4).toString("hex")}`;
let first: pg.Client;
let second: pg.Client;

beforeAll(async () => {
  first = new pg.Client({ connectionString: url });
  second = new pg.Client({ connectionString: url });
  await Promise.all([first.connect(), second.connect()]);
  await first.query(`CREATE TABLE ${table} (id int PRIMARY KEY, v int)`);
  await first.query(`INSERT INTO ${table} VALUES (1, 0), (2, 0)`);
});
afterAll(async () => {
  await first.query(`DROP TABLE IF EXISTS ${table}`);
  await Promise.all([first.end(), second.end()]);
});

const failureOf = (query: Promise<unknown>): Promise<unknown> =>
  query.then(
    () => null,
    (error: unknown) => error,
  );

describe("transient faults PostgreSQL reports", () => {
  it("a deadlock (40P01) is unavailable", async () => {
    await first.query("BEGIN");
    await second.query("BEGIN");
    await first.query(`UPDATE ${table} SET v = 1 WHERE id = 1`);
    await second.query(`UPDATE ${table} SET v = 2 WHERE id = 2`);
    const waiting = failureOf(first.query(`UPDATE ${table} SET v = 1 WHERE id = 2`));
    const crossing = failureOf(second.query(`UPDATE ${table} SET v = 2 WHERE id = 1`));
    const failures = (await Promise.all([waiting, crossing])).filter((error) => error !== null);
    await Promise.all([first.query("ROLLBACK"), second.query("ROLLBACK")]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: "40P01" });
    expect(isDatabaseUnavailable(new Error("Failed query", { cause: failures[0] }))).toBe(true);
  });

  it("a serialization failure (40001) is unavailable", async () => {
    await first.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await first.query(`SELECT v FROM ${table} WHERE id = 1`);
    await second.query(`UPDATE ${table} SET v = v + 1 WHERE id = 1`);
    const failure = await failureOf(first.query(`UPDATE ${table} SET v = v + 1 WHERE id = 1`));
    await first.query("ROLLBACK");
    expect(failure).toMatchObject({ code: "40001" });
    expect(isDatabaseUnavailable(new Error("Failed query", { cause: failure }))).toBe(true);
  });
});
