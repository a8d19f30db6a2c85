import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "../db/createDb";
import { aStructure } from "../testing/builders";
import { databaseBefore, migrationsFolder } from "../testing/migrationsBefore";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("the end-of-data marker on an existing database (0052)", () => {
  it("counts an e-mail in flight under the previous version as marked (never sent twice), nothing else", async () => {
    const { client, db: raw, close } = await databaseBefore("0052_email_data_end");
    cleanups.push(close);
    const { structure } = await aStructure(raw as unknown as Db);
    const claimedAt = "2026-12-04T08:00:00.000Z";
    const insert = async (channel: string, status: string): Promise<string> =>
      (
        await client.query<{ id: string }>(
          `INSERT INTO notification (structure_id, kind, channel, recipient, status, not_before, claimed_at)
           VALUES ($1, 'agent_alert', $2, 'x', $3, $4, $4) RETURNING id`,
          [structure.id, channel, status, claimedAt],
        )
      ).rows[0]!.id;
    const inFlight = await insert("email", "sending");
    const sms = await insert("sms", "sending");
    const sent = await insert("email", "sent");

    await migrate(raw, { migrationsFolder });

    const marker = async (id: string) =>
      (
        await client.query<{ data_end_at: Date | null }>(
          "SELECT data_end_at FROM notification WHERE id = $1",
          [id],
        )
      ).rows[0]!.data_end_at;
    expect(await marker(inFlight)).toEqual(new Date(claimedAt));
    expect(await marker(sms)).toBeNull();
    expect(await marker(sent)).toBeNull();
  }, 60_000);
});
