import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { databaseBefore, migrationsFolder } from "../testing/migrationsBefore";
import { startTestApp } from "../testing/testApp";
import { membership } from "./schema";

const TAG = "0015_account_invitations";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("the account-invitations migration on an existing database", () => {
  it("keeps earlier memberships accepted, leaves earlier attempts untrusted, drops the default", async () => {
    const { client, db, close } = await databaseBefore(TAG);
    cleanups.push(close);
    await client.exec(`
      INSERT INTO "structure" (id, name, label_number, departement)
        VALUES ('00000000-0000-4000-8000-000000000001', 'FS', 'FS-1', '77');
      INSERT INTO "user" (id, email, display_name, password_hash, created_at)
        VALUES ('00000000-0000-4000-8000-000000000002', 'a@test.fr', 'A', 'x', '2025-01-02T03:04:05Z');
      INSERT INTO "membership" (user_id, structure_id, role)
        VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'counselor');
      INSERT INTO "auth_attempt" (email, ip, success) VALUES ('a@test.fr', '203.0.113.1', true);
    `);
    await migrate(db, { migrationsFolder });

    const accepted = await client.query<{ accepted_at: Date }>(`SELECT accepted_at FROM "membership"`);
    expect(accepted.rows.map((r) => r.accepted_at.toISOString())).toEqual(["2025-01-02T03:04:05.000Z"]);
    const trusted = await client.query<{ trusted: boolean }>(`SELECT trusted FROM "auth_attempt"`);
    expect(trusted.rows).toEqual([{ trusted: false }]);
    const column = await client.query<{ column_default: string | null }>(
      `SELECT column_default FROM information_schema.columns
        WHERE table_name = 'membership' AND column_name = 'accepted_at'`,
    );
    expect(column.rows).toEqual([{ column_default: null }]);
    // Two fresh PGlite databases migrated from scratch: slow on a loaded machine.
  }, 60_000);
});

describe("a fresh database", () => {
  it("gives the demo agents accepted memberships", async () => {
    const t = await startTestApp();
    cleanups.push(() => t.close());
    const all = await t.handle.db.select({ acceptedAt: membership.acceptedAt }).from(membership);
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((m) => m.acceptedAt === null)).toEqual([]);
  });
});
