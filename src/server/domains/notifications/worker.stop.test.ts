import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeClock } from "../../core/clock";
import { notification, structure } from "../../db/schema";
import { openTestDb, type TestDbHandle } from "../../testing/testDb";
import type { EmailSender } from "./providers";
import { runOnce } from "./worker";

let handle: TestDbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(() => handle.close());

describe("the outbox worker when the server stops", () => {
  it("finishes the message being sent, puts the rest of its batch back, claims nothing more", async () => {
    const now = new Date("2026-06-01T09:00:00Z");
    const [any] = await handle.db.select({ id: structure.id }).from(structure).limit(1);
    await handle.db.delete(notification);
    await handle.db.insert(notification).values(
      Array.from({ length: 50 }, (_, i) => ({
        structureId: any!.id,
        kind: "failure_alert" as const,
        channel: "email" as const,
        recipient: `agent-${i}@example.fr`,
        subject: "Essai",
        body: "Message d'essai",
        notBefore: now,
      })),
    );
    const stopping = new AbortController();
    const received: string[] = [];
    const email: EmailSender = {
      send: async (message) => {
        received.push(message.to);
        // The signal arrives while the third message is being sent.
        if (received.length === 3) stopping.abort();
        return { providerMessageId: `id-${received.length}`, loggedOnly: false };
      },
      close: () => {},
    };
    const deps = {
      db: handle.db,
      clock: fakeClock(now),
      email,
      sms: { send: async () => ({ providerMessageId: null, loggedOnly: true }) },
      publicUrl: "http://localhost:3000",
      smsWebhookToken: null,
      log: () => {},
    };
    await runOnce(deps, stopping.signal);
    expect(received).toHaveLength(3);
    const byStatus = await handle.db
      .select({ status: notification.status, n: count() })
      .from(notification)
      .groupBy(notification.status);
    expect(Object.fromEntries(byStatus.map((row) => [row.status, row.n]))).toEqual({ sent: 3, pending: 47 });
    // Put back as they were: not counted as an attempt.
    const [attempted] = await handle.db
      .select({ n: count() })
      .from(notification)
      .where(eq(notification.attempts, 0));
    expect(attempted?.n).toBe(47);
  });
});
