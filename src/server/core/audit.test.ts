import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../db/createDb";
import { auditEvent } from "../db/schema";
import { openTestDb } from "../testing/testDb";
import { journal } from "./audit";
import { fakeClock } from "./clock";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(() => handle.close());

describe("audit journal", () => {
  const ctx = {
    requestId: "req-1",
    ip: "127.0.0.1",
    clock: fakeClock("2026-06-01T10:00:00Z"),
    actorUserId: null,
  };

  it("appends rows in UTC with the request id", async () => {
    await journal(handle.db, ctx, { action: "audit.exported", targetType: "thing", targetId: "42" });
    const rows = await handle.db.select().from(auditEvent).where(sql`${auditEvent.targetType} = 'thing'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.at.toISOString()).toBe("2026-06-01T10:00:00.000Z");
    expect(rows[0]?.requestId).toBe("req-1");
  });

  it("cannot be updated, deleted or truncated", async () => {
    await expect(handle.db.update(auditEvent).set({ action: "tampered" })).rejects.toThrow();
    await expect(handle.db.delete(auditEvent)).rejects.toThrow();
    await expect(handle.db.execute(sql`truncate audit_event`)).rejects.toThrow();
    const rows = await handle.db.select().from(auditEvent).where(sql`${auditEvent.action} = 'tampered'`);
    expect(rows).toEqual([]);
  });

  it("is rolled back with the transaction it belongs to", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await journal(tx, { ...ctx, requestId: "req-rolled-back" }, { action: "audit.exported" });
        throw new Error("use case failed");
      }),
    ).rejects.toThrow("use case failed");
    const rows = await handle.db
      .select()
      .from(auditEvent)
      .where(sql`${auditEvent.requestId} = 'req-rolled-back'`);
    expect(rows).toEqual([]);
  });
});
