import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { databaseBefore, migrationsFolder } from "../testing/migrationsBefore";

const TAG = "0036_invitation_identity";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("the invitation-identity migration on an existing database", () => {
  it("names the agent member on the invitations sent to their address, and nobody else", async () => {
    const { client, db, close } = await databaseBefore(TAG);
    cleanups.push(close);
    const structure = "00000000-0000-4000-8000-000000000001";
    const agent = "00000000-0000-4000-8000-000000000002";
    const moved = "00000000-0000-4000-8000-000000000003";
    const group = "00000000-0000-4000-8000-000000000010";
    const forum = "00000000-0000-4000-8000-000000000011";
    await client.exec(`
      INSERT INTO "structure" (id, name, label_number, departement) VALUES ('${structure}', 'FS', 'FS-1', '77');
      INSERT INTO "user" (id, email, display_name, password_hash) VALUES
        ('${agent}', 'Agent@Test.fr', 'Agent', 'x'),
        ('${moved}', 'nouvelle@test.fr', 'Agent parti', 'x');
      INSERT INTO "collective_action" (id, structure_id, kind, title, starts_at, ends_at, series_id) VALUES
        ('${group}', '${structure}', 'working_group', 'GT', '2026-06-10T12:00:00Z', '2026-06-10T14:00:00Z', '${group}'),
        ('${forum}', '${structure}', 'forum_emploi', 'Forum', '2026-06-11T12:00:00Z', '2026-06-11T14:00:00Z', null);
      INSERT INTO "working_group_member" (structure_id, series_id, user_id) VALUES
        ('${structure}', '${group}', '${agent}'), ('${structure}', '${group}', '${moved}');
      INSERT INTO "collective_action_invitation" (action_id, name, email, token_hash) VALUES
        ('${group}', 'Agent', 'agent@test.fr', 'h1'),
        ('${group}', 'Agent parti', 'ancienne@test.fr', 'h2'),
        ('${forum}', 'Agent', 'agent@test.fr', 'h3');
    `);
    await migrate(db, { migrationsFolder });

    const rows = await client.query<{ token_hash: string; user_id: string | null }>(
      `SELECT token_hash, user_id FROM "collective_action_invitation" ORDER BY token_hash`,
    );
    expect(rows.rows).toEqual([
      { token_hash: "h1", user_id: agent },
      // Sent before the address changed: nothing tells it apart any more.
      { token_hash: "h2", user_id: null },
      // The same address invited to a forum, where nobody is a member.
      { token_hash: "h3", user_id: null },
    ]);
  }, 60_000);
});
