import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../db/createDb";
import { notification, scheduledJob, serverInstance, structure } from "../db/schema";
import { logEmailSender, logSmsSender } from "../domains/notifications/providers";
import {
  EMAIL_INTERRUPTED_BEFORE_END,
  INSTANCE_GRACE_MS,
  MAX_UNCERTAIN_SENDS,
} from "../domains/notifications/rules";
import { claimDue, expireLeases, type WorkerDeps } from "../domains/notifications/worker";
import { openTestDb, type TestDbHandle } from "../testing/testDb";
import { fakeClock } from "./clock";
import { beat, type Liveness, newLiveness } from "./liveness";
import { runDueJobs, type ScheduledJob } from "./scheduler";

// ADR 0004, addendum 2026-12-05: a claim whose instance's heartbeat (database clock) is older than
// the grace ends at once; never a live instance's, never just after a database restart.
let handle: TestDbHandle;
let structureId: string;
beforeAll(async () => {
  handle = await openTestDb();
  const [any] = await handle.db.select({ id: structure.id }).from(structure).limit(1);
  structureId = any!.id;
});
afterAll(() => handle.close());
afterEach(async () => {
  await handle.db.delete(serverInstance);
  await handle.db.delete(notification).where(eq(notification.recipient, "vivant@example.fr"));
});

const NOW = new Date("2026-06-01T09:00:00Z");
const clock = fakeClock(NOW);
const workerOf = (liveness: Liveness): WorkerDeps => ({
  db: handle.db,
  clock,
  email: logEmailSender(() => {}),
  sms: logSmsSender(() => {}),
  publicUrl: "https://passerelle.example.fr",
  smsWebhookToken: null,
  log: () => {},
  liveness,
});

/** Moves an instance's heartbeat (and the start of its run) back, with the database's clock. */
async function silentFor(
  liveness: Liveness,
  ms: number,
  aliveFor = ms + INSTANCE_GRACE_MS + 1_000,
): Promise<void> {
  await handle.db
    .update(serverInstance)
    .set({
      heartbeatAt: sql`now() - ${sql.raw(`interval '${ms} milliseconds'`)}`,
      aliveSince: sql`now() - ${sql.raw(`interval '${aliveFor} milliseconds'`)}`,
    })
    .where(eq(serverInstance.id, liveness.id));
}

/**
 * Two instances, both beating; the judge has beaten for longer than the grace, on a database up for
 * an hour (`pg_postmaster_start_time()` is when PGlite opened, seconds ago).
 */
async function twoInstances(): Promise<{ judge: Liveness; other: Liveness }> {
  const judge = { ...newLiveness(INSTANCE_GRACE_MS), databaseStartedAt: sql`now() - interval '1 hour'` };
  const other = newLiveness(INSTANCE_GRACE_MS);
  await beat(handle.db, judge);
  await beat(handle.db, other);
  await silentFor(judge, 0);
  return { judge, other };
}

async function claimedBy(liveness: Liveness, channel: "email" | "sms" = "email") {
  const [queued] = await handle.db
    .insert(notification)
    .values({
      structureId,
      kind: "failure_alert",
      channel,
      recipient: "vivant@example.fr",
      subject: "Essai",
      body: "Message d'essai",
      notBefore: NOW,
    })
    .returning({ id: notification.id });
  const claimed = await claimDue(handle.db, NOW, 20, liveness.id);
  const row = claimed.find((r) => r.id === queued!.id);
  expect(row).toMatchObject({ status: "sending", claimedBy: liveness.id });
  return row!;
}

const rowOf = async (id: string) =>
  (await handle.db.select().from(notification).where(eq(notification.id, id)))[0]!;

describe("a notification claimed by another instance", () => {
  it("is never taken from a live instance, however long its send lasts within the lease", async () => {
    const { judge, other } = await twoInstances();
    const row = await claimedBy(other);
    await silentFor(other, INSTANCE_GRACE_MS - 10_000, 3_600_000);
    expect(await expireLeases(workerOf(judge))).toBe(0);
    expect(await rowOf(row.id)).toMatchObject({ status: "sending" });
    // Its own claims: never (its heartbeat is fresh).
    const own = await claimedBy(judge);
    expect(await expireLeases(workerOf(judge))).toBe(0);
    expect(await rowOf(own.id)).toMatchObject({ status: "sending" });
  });

  it("ends at once once its instance is silent for longer than the grace, with the lease's outcomes", async () => {
    const { judge, other } = await twoInstances();
    const email = await claimedBy(other);
    const marked = await claimedBy(other);
    await handle.db.update(notification).set({ dataEndAt: NOW }).where(eq(notification.id, marked.id));
    const sms = await claimedBy(other, "sms");
    await silentFor(other, INSTANCE_GRACE_MS + 1_000);
    // The business clock has not moved: the lease is far from over.
    expect(await expireLeases(workerOf(judge))).toBe(3);
    expect(await rowOf(email.id)).toMatchObject({
      status: "pending",
      lastError: EMAIL_INTERRUPTED_BEFORE_END,
    });
    expect(await rowOf(marked.id)).toMatchObject({
      status: "uncertain",
      uncertainSends: MAX_UNCERTAIN_SENDS,
    });
    expect(await rowOf(sms.id)).toMatchObject({ status: "uncertain", uncertainSends: 1 });
    // Claimed again by the judge: its claim is its own, kept.
    const [again] = await claimDue(handle.db, NOW, 1, judge.id);
    expect(again).toMatchObject({ id: email.id, claimedBy: judge.id });
    expect(await expireLeases(workerOf(judge))).toBe(0);
  });

  it("is not judged by an instance that has not beaten without a gap for longer than the grace", async () => {
    const { judge, other } = await twoInstances();
    const row = await claimedBy(other);
    await silentFor(other, 5 * 60_000 - 1_000);
    // The judge just started (or just came back after a gap): everyone may be reconnecting.
    await silentFor(judge, 0, INSTANCE_GRACE_MS - 5_000);
    expect(await expireLeases(workerOf(judge))).toBe(0);
    // The judge's own heartbeat is stale (its event loop or its connection stalled).
    await silentFor(judge, INSTANCE_GRACE_MS / 2);
    expect(await expireLeases(workerOf(judge))).toBe(0);
    // A beat after that gap starts a new run: still no judging.
    await beat(handle.db, judge);
    expect(await expireLeases(workerOf(judge))).toBe(0);
    const [run] = await handle.db.select().from(serverInstance).where(eq(serverInstance.id, judge.id));
    expect(run!.aliveSince.getTime()).toBe(run!.heartbeatAt.getTime());
    // Once its run is longer than the grace, it judges.
    await silentFor(judge, 0);
    expect(await expireLeases(workerOf(judge))).toBe(1);
    expect(await rowOf(row.id)).toMatchObject({ status: "pending" });
  });

  it("is not judged right after a database restart (every heartbeat stale until the instances reconnect)", async () => {
    const { judge, other } = await twoInstances();
    const row = await claimedBy(other);
    await silentFor(other, 2 * 60_000);
    const justRestarted = { ...judge, databaseStartedAt: sql`now() - interval '10 seconds'` };
    expect(await expireLeases(workerOf(justRestarted))).toBe(0);
    expect(await rowOf(row.id)).toMatchObject({ status: "sending" });
    const upLongEnough = { ...judge, databaseStartedAt: sql`now() - interval '31 seconds'` };
    expect(await expireLeases(workerOf(upLongEnough))).toBe(1);
  });

  it("is left to its lease when its instance is unknown (a clean stop, an older version, a restored backup)", async () => {
    const { judge } = await twoInstances();
    const gone = newLiveness(INSTANCE_GRACE_MS);
    const row = await claimedBy(gone);
    const unnamed = await claimedBy(judge);
    await handle.db.update(notification).set({ claimedBy: null }).where(eq(notification.id, unnamed.id));
    expect(await expireLeases(workerOf(judge))).toBe(0);
    clock.set(new Date(NOW.getTime() + 5 * 60_000 + 1));
    try {
      expect(await expireLeases(workerOf(judge))).toBe(2);
      expect(await rowOf(row.id)).toMatchObject({ status: "pending" });
    } finally {
      clock.set(NOW);
    }
  });
});

describe("heartbeats", () => {
  it("are written with the database's clock, and a day-old instance's row is deleted", async () => {
    const old = newLiveness(INSTANCE_GRACE_MS);
    await beat(handle.db, old);
    await silentFor(old, 25 * 3_600_000);
    const fresh = newLiveness(INSTANCE_GRACE_MS);
    await beat(handle.db, fresh);
    const rows = await handle.db.select().from(serverInstance);
    expect(rows.map((r) => r.id)).toEqual([fresh.id]);
    const [beaten] = await rowsOf<{ skew: number }>(
      handle.db,
      sql`select extract(epoch from now() - ${serverInstance.heartbeatAt}) as skew from ${serverInstance}`,
    );
    expect(Math.abs(Number(beaten!.skew))).toBeLessThan(5);
  });
});

describe("a scheduled job held by a dead instance", () => {
  it("is run by a live one at once, not after its 10-minute lease", async () => {
    const { judge, other } = await twoInstances();
    let runs = 0;
    const job: ScheduledJob = {
      name: "liveness-test",
      everySeconds: 3600,
      run: async () => {
        runs += 1;
        return "fait";
      },
    };
    await handle.db.insert(scheduledJob).values({
      name: job.name,
      nextRunAt: NOW,
      lockedUntil: new Date(NOW.getTime() + 10 * 60_000),
      lockedBy: other.id,
    });
    const deps = { db: handle.db, clock, log: () => {}, liveness: judge };
    expect(await runDueJobs(deps, [job])).toEqual([]);
    await silentFor(other, INSTANCE_GRACE_MS + 1_000);
    expect(await runDueJobs(deps, [job])).toEqual([job.name]);
    expect(runs).toBe(1);
    await handle.db.delete(scheduledJob).where(eq(scheduledJob.name, job.name));
  });
});
