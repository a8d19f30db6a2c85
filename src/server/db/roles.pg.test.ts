import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestDbHandle } from "../testing/testDb";
import { grantAppRole } from "./prepare";
import { auditEvent } from "./schema";

/** Point 8: the server's connection (the tests' least-privilege role) cannot rewrite the journal. */
let handle: TestDbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(async () => {
  await handle.close();
});

async function firstRow(query: SQL): Promise<unknown> {
  return ((await handle.db.execute(query)) as unknown as { rows: unknown[] }).rows[0];
}

/** SQLSTATE 42501 insufficient_privilege, or 42501-like "must be owner" (also 42501). */
async function expectRefused(statement: Promise<unknown>): Promise<void> {
  const error = await statement.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the statement should have been refused").not.toBeNull();
  const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
  expect(cause.code).toBe("42501");
}

describe("the server's database role", () => {
  it("is not the owner of any table and is no superuser", async () => {
    const row = await firstRow(sql`
      select current_user as role,
        (select rolsuper from pg_roles where rolname = current_user) as superuser,
        (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = current_user) as owned`);
    expect(row).toMatchObject({ superuser: false, owned: 0 });
  });

  it("appends to and reads the journal, as the use cases do", async () => {
    await handle.db.insert(auditEvent).values({ action: "test.role", outcome: "success" });
    const rows = await handle.db.select().from(auditEvent).where(sql`${auditEvent.action} = 'test.role'`);
    expect(rows).toHaveLength(1);
  });

  it("cannot disable or drop the journal's triggers, update, delete or truncate its rows", async () => {
    await expectRefused(handle.db.execute(sql`ALTER TABLE audit_event DISABLE TRIGGER ALL`));
    await expectRefused(
      handle.db.execute(sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete`),
    );
    await expectRefused(handle.db.execute(sql`DROP TRIGGER audit_event_no_update_delete ON audit_event`));
    await expectRefused(handle.db.execute(sql`UPDATE audit_event SET action = 'tampered'`));
    await expectRefused(handle.db.execute(sql`DELETE FROM audit_event`));
    await expectRefused(handle.db.execute(sql`TRUNCATE audit_event`));
    await expectRefused(handle.db.execute(sql`SET session_replication_role = replica`));
    await expectRefused(handle.db.execute(sql`DROP TABLE audit_event`));
    const count = await firstRow(sql`select count(*)::int as n from audit_event where action = 'tampered'`);
    expect(count).toMatchObject({ n: 0 });
  });

  it("cannot alter or truncate the other tables either, only read and write their rows", async () => {
    await expectRefused(handle.db.execute(sql`ALTER TABLE person ADD COLUMN x int`));
    await expectRefused(handle.db.execute(sql`TRUNCATE person CASCADE`));
    await expectRefused(handle.db.execute(sql`CREATE TABLE public.intruder (id int)`));
  });

  it("cannot create tables in schema public even where everyone could (databases made before PostgreSQL 15): the startup revokes it", async () => {
    const { role } = (await firstRow(sql`select current_user as role`)) as { role: string };
    const owner = await handle.openOwnerPool();
    try {
      await owner.db.execute(sql`GRANT CREATE ON SCHEMA public TO PUBLIC`);
      await owner.db.execute(sql`GRANT CREATE ON SCHEMA public TO ${sql.identifier(role)}`);
      expect(await grantAppRole(owner.db, role)).toBeNull();
    } finally {
      await owner.close();
    }
    await expectRefused(handle.db.execute(sql`CREATE TABLE public.intruder (id int)`));
    await expectRefused(handle.db.execute(sql`CREATE VIEW public.intruder_view AS SELECT 1`));
  });
});
