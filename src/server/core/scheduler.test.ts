import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../db/createDb";
import { auditEvent, orientation, person, scheduledJob, structure, user } from "../db/schema";
import { expireOverdueOrientations } from "../domains/orientations/jobs/ExpireOverdue";
import { scheduledJobs } from "../jobs";
import { openTestDb, type TestDbHandle } from "../testing/testDb";
import { fakeClock } from "./clock";
import {
  FAULT_LOG_EVERY_MS,
  faultLog,
  type JobDeps,
  registerJobs,
  releaseLeases,
  runDueJobs,
  type ScheduledJob,
  startScheduler,
} from "./scheduler";

let handle: TestDbHandle;
let second: DbHandle;
let structureId: string;
let people: string[];
let authorId: string;
beforeAll(async () => {
  handle = await openTestDb();
  second = await handle.openSecondPool();
  const [demo] = await handle.db.select().from(structure).where(eq(structure.labelNumber, "FS-77-035"));
  structureId = demo!.id;
  people = (await handle.db.select({ id: person.id }).from(person).limit(10)).map((p) => p.id);
  const [author] = await handle.db.select({ id: user.id }).from(user).limit(1);
  authorId = author!.id;
});
afterAll(async () => {
  await second.close();
  await handle.close();
});

const NOW = new Date("2026-06-01T09:00:00Z");
const logged: string[] = [];
const depsOn = (db: DbHandle["db"], at = NOW): JobDeps & { clock: ReturnType<typeof fakeClock> } => ({
  db,
  clock: fakeClock(at),
  log: (line) => logged.push(line),
});

/** Sent orientations, `overdue` of them past their expiry at NOW. */
async function sentOrientations(overdue: number, onTime: number): Promise<string[]> {
  const rows = [...Array(overdue + onTime).keys()].map((i) => {
    const sentAt = new Date(NOW.getTime() - (i < overdue ? 40 : 10) * 86_400_000);
    return {
      structureId,
      personId: people[i % people.length]!,
      target: "mediation" as const,
      reason: "Dossier complexe",
      status: "sent" as const,
      createdBy: authorId,
      createdAt: sentAt,
      sentAt,
      expiresAt: new Date(sentAt.getTime() + 30 * 86_400_000),
    };
  });
  const created = await handle.db.insert(orientation).values(rows).returning({ id: orientation.id });
  return created.map((c) => c.id);
}

describe("scheduled jobs", () => {
  it("two instances at once: each overdue orientation expires once, journaled once; the others stay sent", async () => {
    await handle.db.delete(scheduledJob);
    const ids = await sentOrientations(12, 5);
    // The expiry job alone (the daily retention job is tested in http/retention*.test.ts).
    const jobs = scheduledJobs.filter((job) => job.name === expireOverdueOrientations.name);
    await registerJobs(handle.db, jobs, NOW);
    await registerJobs(second.db, jobs, NOW); // the second instance registers too: no duplicate
    const [a, b] = await Promise.all([
      runDueJobs(depsOn(handle.db), jobs, "instance-a"),
      runDueJobs(depsOn(second.db), jobs, "instance-b"),
    ]);
    // The job ran once (one instance claimed it; the other found it held or not due any more).
    expect([...a, ...b]).toEqual([expireOverdueOrientations.name]);
    const statuses = await handle.db
      .select({ id: orientation.id, status: orientation.status })
      .from(orientation)
      .where(inArray(orientation.id, ids));
    expect(statuses.filter((s) => s.status === "expired")).toHaveLength(12);
    expect(statuses.filter((s) => s.status === "sent")).toHaveLength(5);
    const journal = await handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "orientation.expired"), inArray(auditEvent.targetId, ids)));
    expect(journal).toHaveLength(12);
    expect(new Set(journal.map((j) => j.targetId)).size).toBe(12);
    expect(journal.every((j) => j.actorUserId === null && j.structureId === structureId)).toBe(true);
    const [row] = await handle.db.select().from(scheduledJob);
    expect(row).toMatchObject({
      runs: 1,
      lockedBy: null,
      lastError: null,
      nextRunAt: new Date(NOW.getTime() + 60_000),
    });
    expect(row!.lastResult).toMatch(/expirée/);
  });

  it("the same expiry run twice at once, by two callers: still once each", async () => {
    const ids = await sentOrientations(30, 0);
    const run = (db: DbHandle["db"]) => expireOverdueOrientations.run(depsOn(db));
    await Promise.all([run(handle.db), run(second.db), run(handle.db)]);
    const journal = await handle.db
      .select({ id: auditEvent.id })
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "orientation.expired"), inArray(auditEvent.targetId, ids)));
    expect(journal).toHaveLength(30);
  });

  it("runs a job when due only, not while another instance holds it, and again after its interval", async () => {
    await handle.db.delete(scheduledJob);
    const calls: string[] = [];
    const job: ScheduledJob = {
      name: "test.count",
      everySeconds: 300,
      run: async () => {
        calls.push("ran");
        return "ok";
      },
    };
    await registerJobs(handle.db, [job], NOW);
    const deps = depsOn(handle.db);
    expect(await runDueJobs(deps, [job], "a")).toEqual(["test.count"]);
    expect(await runDueJobs(deps, [job], "b")).toEqual([]);
    deps.clock.advance(301_000);
    // Held by a live lease of another instance: skipped.
    await handle.db
      .update(scheduledJob)
      .set({ lockedBy: "other", lockedUntil: new Date(deps.clock.now().getTime() + 60_000) });
    expect(await runDueJobs(deps, [job], "a")).toEqual([]);
    // A lapsed lease (the other instance died): taken over.
    deps.clock.advance(61_000);
    expect(await runDueJobs(deps, [job], "a")).toEqual(["test.count"]);
    expect(calls).toHaveLength(2);
  });

  it("a failing job is recorded and retried at its next run; the other jobs still run", async () => {
    await handle.db.delete(scheduledJob);
    const failing: ScheduledJob = {
      name: "test.failing",
      everySeconds: 60,
      run: async () => {
        throw new Error("base indisponible");
      },
    };
    const fine: ScheduledJob = { name: "test.fine", everySeconds: 60, run: async () => "fait" };
    await registerJobs(handle.db, [failing, fine], NOW);
    const deps = depsOn(handle.db);
    expect((await runDueJobs(deps, [failing, fine])).sort()).toEqual(["test.failing", "test.fine"]);
    const [row] = await handle.db.select().from(scheduledJob).where(eq(scheduledJob.name, "test.failing"));
    expect(row).toMatchObject({ lastError: "base indisponible", lockedBy: null });
    expect(row!.nextRunAt).toEqual(new Date(NOW.getTime() + 60_000));
    expect(logged.some((line) => line.includes("test.failing"))).toBe(true);
  });

  it("a job stopped by a database fault (a restart, a refused connection) is retried within a minute, not at its next run", async () => {
    await handle.db.delete(scheduledJob);
    // What a run cut by `pg_ctl restart -m fast` throws: Drizzle's error, the driver's as its cause.
    const cutBy = (name: string, cause: object): ScheduledJob => ({
      name,
      everySeconds: 24 * 3600,
      run: async () => {
        throw new Error('Failed query: delete from "session" where "expires_at" < $1', { cause });
      },
    });
    const restarted = cutBy(
      "test.nightly_restarted",
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
    );
    const terminated = cutBy("test.nightly_terminated", new Error("Connection terminated unexpectedly"));
    const buggy: ScheduledJob = {
      name: "test.nightly_buggy",
      everySeconds: 24 * 3600,
      run: async () => {
        throw new TypeError("Cannot read properties of undefined");
      },
    };
    await registerJobs(handle.db, [restarted, terminated, buggy], NOW);
    await runDueJobs(depsOn(handle.db), [restarted, terminated, buggy]);
    const rows = await handle.db
      .select()
      .from(scheduledJob)
      .where(
        inArray(scheduledJob.name, [
          "test.nightly_restarted",
          "test.nightly_terminated",
          "test.nightly_buggy",
        ]),
      );
    const nextRun = (name: string) => rows.find((row) => row.name === name)?.nextRunAt;
    expect(nextRun("test.nightly_restarted")).toEqual(new Date(NOW.getTime() + 60_000));
    expect(nextRun("test.nightly_terminated")).toEqual(new Date(NOW.getTime() + 60_000));
    // A fault of the job itself is not cured by retrying soon: its next run, as before.
    expect(nextRun("test.nightly_buggy")).toEqual(new Date(NOW.getTime() + 24 * 3600_000));
    expect(rows.every((row) => row.lockedBy === null && row.lastError !== null)).toBe(true);
    // Retried: the next pass a minute later runs them again, not the buggy one.
    const later = depsOn(handle.db, new Date(NOW.getTime() + 60_000));
    expect((await runDueJobs(later, [restarted, terminated, buggy])).sort()).toEqual([
      "test.nightly_restarted",
      "test.nightly_terminated",
    ]);
  });

  it("a job whose run ends while the database is still down is claimed again as soon as it is back, not 10 minutes later", async () => {
    await handle.db.delete(scheduledJob);
    // The database as the instance sees it: down from the moment the run fails until `down` is unset.
    let down = false;
    const refused = () =>
      new Error('Failed query: update "scheduled_job" set "locked_until" = $1', {
        cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      });
    const flaky = new Proxy(handle.db, {
      get(target, property) {
        if (down) throw refused();
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    let runs = 0;
    const nightly: ScheduledJob = {
      name: "test.cut_at_the_end",
      everySeconds: 24 * 3600,
      run: async () => {
        runs += 1;
        if (runs > 1) return "fait";
        down = true;
        throw refused();
      },
    };
    await registerJobs(handle.db, [nightly], NOW);
    // The run fails, so does recording it, and so does the pass's next claim.
    await expect(runDueJobs({ ...depsOn(handle.db), db: flaky }, [nightly], "instance-a")).rejects.toThrow(
      /Failed query/,
    );
    expect(runs).toBe(1);
    // The outcome could not be written: the lease is still this instance's.
    const [held] = await handle.db.select().from(scheduledJob).where(eq(scheduledJob.name, nightly.name));
    expect(held!.lockedBy).toBe("instance-a");
    // The next pass, 5 s later, finds the database still down.
    await expect(
      runDueJobs(
        { ...depsOn(handle.db, new Date(NOW.getTime() + 5_000)), db: flaky },
        [nightly],
        "instance-a",
      ),
    ).rejects.toThrow(/Failed query/);
    // Back 30 s later: the same instance runs the job at once; another instance still waits for it.
    down = false;
    const back = new Date(NOW.getTime() + 30_000);
    expect(await runDueJobs(depsOn(second.db, back), [nightly], "instance-b")).toEqual([]);
    expect(await runDueJobs(depsOn(handle.db, back), [nightly], "instance-a")).toEqual([nightly.name]);
    const [row] = await handle.db.select().from(scheduledJob).where(eq(scheduledJob.name, nightly.name));
    expect(row).toMatchObject({ lockedBy: null, lastResult: "fait", lastError: null });
    expect(row!.nextRunAt).toEqual(new Date(back.getTime() + 24 * 3600_000));
  });

  it("while the database is down, a job's fault is one short line a minute at most, the statement cut", async () => {
    await handle.db.delete(scheduledJob);
    // The claim statement as a refused connection fails it: some 900 characters.
    const statement = `Failed query: update "scheduled_job" set ${'"locked_until" = $1, '.repeat(45)}`;
    const outage = () =>
      new Error(statement, {
        cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      });
    let failing = true;
    const job: ScheduledJob = {
      name: "test.outage",
      everySeconds: 5,
      run: async () => {
        if (failing) throw outage();
        return "fait";
      },
    };
    await registerJobs(handle.db, [job], NOW);
    const lines: string[] = [];
    const clock = fakeClock(NOW);
    const deps: JobDeps = { db: handle.db, clock, log: (line) => lines.push(line) };
    const faults = faultLog(deps);
    // A pass every 5 s for two minutes: the job is retried each time (every 5 s), logged each minute.
    for (let pass = 0; pass < 24; pass += 1) {
      expect(await runDueJobs(deps, [job], "a", undefined, faults)).toEqual([job.name]);
      clock.advance(5_000);
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Tâche planifiée test\.outage : Failed query: update "scheduled_job"/);
    expect(lines[0]).toContain("ECONNREFUSED");
    expect(lines.every((line) => line.length < 300)).toBe(true);
    expect(lines[1]).toContain("11 échec(s) semblable(s)");
    // Back: the job runs; its next fault is logged at once.
    failing = false;
    expect(await runDueJobs(deps, [job], "a", undefined, faults)).toEqual([job.name]);
    failing = true;
    clock.advance(5_000);
    await runDueJobs(deps, [job], "a", undefined, faults);
    expect(lines).toHaveLength(3);
    // A fault of the job itself (not the database) is logged every time, as before.
    const buggy = faultLog(deps);
    buggy.fault("test.buggy", new TypeError("Cannot read properties of undefined"));
    buggy.fault("test.buggy", new TypeError("Cannot read properties of undefined"));
    expect(lines.filter((line) => line.includes("test.buggy"))).toHaveLength(2);
  });

  it("the scheduler's own reads failing every poll during an outage: one short line a minute", async () => {
    const lines: string[] = [];
    const clock = fakeClock(NOW);
    let polls = 0;
    // No database at all: every read the scheduler tries fails as a refused connection does.
    const unreachable = new Proxy(handle.db, {
      get() {
        polls += 1;
        throw new Error(`Failed query: insert into "scheduled_job" ${"x".repeat(900)}`, {
          cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
        });
      },
    });
    const job: ScheduledJob = { name: "test.never", everySeconds: 60, run: async () => "fait" };
    const scheduler = startScheduler(
      { db: unreachable, clock, log: (line) => lines.push(line) },
      [job],
      0.001,
    );
    while (polls < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    clock.advance(FAULT_LOG_EVERY_MS);
    const logged = polls;
    while (polls < logged + 10) await new Promise((resolve) => setTimeout(resolve, 5));
    await scheduler.stop();
    // Two lines for some twenty polls, then the leases not given back at the stop: all short.
    const faults = lines.filter((line) => !line.includes("baux non rendus"));
    expect(faults).toHaveLength(2);
    expect(faults[0]).toMatch(/^Tâches planifiées : Failed query: insert into "scheduled_job"/);
    expect(faults[0]).toContain("ECONNREFUSED");
    expect(lines.every((line) => line.length < 300)).toBe(true);
  });

  it("a failed query's parameters (a person's data) reach neither the log nor the job's row", async () => {
    await handle.db.delete(scheduledJob);
    const leaking: ScheduledJob = {
      name: "test.leaking",
      everySeconds: 60,
      run: async () => {
        throw new Error('Failed query: update "person" set "phone" = $1\nparams: 0612345678,DURAND');
      },
    };
    await registerJobs(handle.db, [leaking], NOW);
    logged.length = 0;
    await runDueJobs(depsOn(handle.db), [leaking]);
    const [row] = await handle.db.select().from(scheduledJob).where(eq(scheduledJob.name, "test.leaking"));
    expect(row!.lastError).toBe('Failed query: update "person" set "phone" = $1 (paramètres omis)');
    expect(logged.join("\n")).toContain("test.leaking");
    expect(logged.join("\n")).not.toMatch(/0612345678|DURAND/);
  });

  it("a database fault is logged with its cause's code (57P03, ECONNREFUSED), its parameters still cut", async () => {
    await handle.db.delete(scheduledJob);
    const failingWith = (name: string, cause: object): ScheduledJob => ({
      name,
      everySeconds: 60,
      run: async () => {
        throw new Error('Failed query: select "id" from "person" where "phone" = $1\nparams: 0612345678', {
          cause,
        });
      },
    });
    const starting = failingWith("test.starting", Object.assign(new Error("starting up"), { code: "57P03" }));
    const refused = failingWith(
      "test.refused",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    );
    await registerJobs(handle.db, [starting, refused], NOW);
    logged.length = 0;
    await runDueJobs(depsOn(handle.db), [starting, refused]);
    const line = (name: string) => logged.find((entry) => entry.includes(name)) ?? "";
    expect(line("test.starting")).toContain("(paramètres omis)");
    expect(line("test.starting")).toContain("57P03");
    expect(line("test.refused")).toContain("ECONNREFUSED");
    expect(logged.join("\n")).not.toMatch(/0612345678/);
  });

  it("stop() lets the running job finish, claims no other, and leaves no lease", async () => {
    await handle.db.delete(scheduledJob);
    let release = () => {};
    const started: string[] = [];
    const slow: ScheduledJob = {
      name: "test.slow",
      everySeconds: 60,
      run: async () => {
        started.push("test.slow");
        await new Promise<void>((resolve) => (release = resolve));
        return "fini";
      },
    };
    const next: ScheduledJob = {
      name: "test.next",
      everySeconds: 60,
      run: async () => "ne doit pas tourner",
    };
    await registerJobs(handle.db, [slow, next], NOW);
    // test.next is due later than test.slow: claimed after it, in the same pass.
    await handle.db
      .update(scheduledJob)
      .set({ nextRunAt: new Date(NOW.getTime() - 1000) })
      .where(eq(scheduledJob.name, "test.next"));
    await handle.db
      .update(scheduledJob)
      .set({ nextRunAt: new Date(NOW.getTime() - 2000) })
      .where(eq(scheduledJob.name, "test.slow"));
    const running = startScheduler(depsOn(handle.db), [slow, next], 3600);
    while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const stopped = running.stop();
    expect(running.running()).toBe(false);
    release();
    await stopped;
    const rows = await handle.db.select().from(scheduledJob);
    expect(rows.map((r) => [r.name, r.lockedBy, r.runs]).sort()).toEqual([
      ["test.next", null, 0],
      ["test.slow", null, 1],
    ]);
  });

  it("releaseLeases gives back what an instance still holds, and only that", async () => {
    await handle.db.delete(scheduledJob);
    await handle.db.insert(scheduledJob).values([
      { name: "test.mine", nextRunAt: NOW, lockedBy: "me", lockedUntil: new Date(NOW.getTime() + 60_000) },
      {
        name: "test.theirs",
        nextRunAt: NOW,
        lockedBy: "them",
        lockedUntil: new Date(NOW.getTime() + 60_000),
      },
    ]);
    expect(await releaseLeases(handle.db, "me")).toBe(1);
    const rows = await handle.db.select().from(scheduledJob);
    expect(rows.map((r) => [r.name, r.lockedBy]).sort()).toEqual([
      ["test.mine", null],
      ["test.theirs", "them"],
    ]);
  });
});
