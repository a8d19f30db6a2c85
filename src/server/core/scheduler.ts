/**
 * Scheduled jobs (ADR 0020): time-based work the server does by itself — expiring orientations,
 * later purges and retention. One `scheduled_job` row per job; an instance claims a due row with
 * `FOR UPDATE SKIP LOCKED` and holds it by a lease while the job runs, so with several instances a
 * job runs on one of them at a time. A job must still be idempotent (a lease can lapse under a
 * very slow run): its writes say "where still due", as `status = 'sent' and expires_at <= now`.
 * The lease of an instance judged dead (`liveness.ts`) is over at once (ADR 0004, addendum 2026-12-05).
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/createDb";
import { scheduledJob } from "../db/schema";
import type { Clock } from "./clock";
import { errorForLog, isDatabaseUnavailable, messageForLog } from "./dbErrors";
import { claimOfDeadInstance, type Liveness } from "./liveness";
import { type Poller, pollEvery } from "./poller";

export interface JobDeps {
  db: Db;
  clock: Clock;
  log: (line: string) => void;
  /** This process's liveness: its id holds the leases, and a dead instance's lease ends at once. */
  liveness?: Liveness;
}

export interface ScheduledJob {
  /** Stable name, the row's key: never rename a job that ran in production. */
  name: string;
  everySeconds: number;
  /** When a newly registered job first runs (default: at once), e.g. a nightly job at night. */
  firstRunAt?(now: Date): Date;
  /** Does the work in its own transactions; the string says what was done (kept as `last_result`). */
  run(deps: JobDeps): Promise<string>;
}

/** A run taking longer than this may be taken over by another instance (the job is idempotent). */
export const JOB_LEASE_MS = 10 * 60_000;

/**
 * A run cut by a database fault (a restart, a refused connection) is tried again this soon rather
 * than at its next run: the nightly purge stopped by a restart at 3 a.m. would otherwise wait a day.
 */
export const JOB_RETRY_AFTER_FAULT_MS = 60_000;

/** While the database stays down, a job's fault (or the scheduler's own) is logged once a minute at most. */
export const FAULT_LOG_EVERY_MS = 60_000;
/** A logged message is cut to this many characters: a failed statement is ~900 and says nothing more. */
const LOG_MESSAGE_CHARS = 120;

/** The scheduler's log of faults: `fault` lines throttled per key, `recovered` ends a key's outage. */
export interface FaultLog {
  /** Logs `Tâche planifiée <key> : …` (short); a database fault at most once per minute per key. */
  fault(key: string, error: unknown): void;
  /** The key ran again: its next database fault is logged at once. */
  recovered(key: string): void;
}

/** The log key of the scheduler's own reads (registering, claiming), apart from the jobs'. */
const SCHEDULER_KEY = "(scheduler)";

/** An error's message for a log line: its parameters cut (`messageForLog`), and short. */
function shortMessage(error: unknown): string {
  const message = messageForLog(error);
  return message.length > LOG_MESSAGE_CHARS ? `${message.slice(0, LOG_MESSAGE_CHARS)}…` : message;
}

export function faultLog(deps: Pick<JobDeps, "clock" | "log">): FaultLog {
  const outages = new Map<string, { loggedAt: number; unlogged: number }>();
  return {
    fault(key, error) {
      const who = key === SCHEDULER_KEY ? "Tâches planifiées" : `Tâche planifiée ${key}`;
      // The cause chain's classes and codes (57P03, ECONNREFUSED…), as the worker logs them.
      const line = `${who} : ${shortMessage(error)} [${errorForLog(error)}]`;
      if (!isDatabaseUnavailable(error)) return deps.log(line);
      const now = deps.clock.now().getTime();
      const outage = outages.get(key);
      if (outage && now - outage.loggedAt < FAULT_LOG_EVERY_MS) {
        outage.unlogged += 1;
        return;
      }
      const unlogged = outage?.unlogged
        ? ` (${outage.unlogged} échec(s) semblable(s) depuis le dernier)`
        : "";
      deps.log(`${line}${unlogged}`);
      outages.set(key, { loggedAt: now, unlogged: 0 });
    },
    recovered(key) {
      outages.delete(key);
    },
  };
}

/** Registers the jobs (a new one is due at once); existing rows keep their schedule. */
export async function registerJobs(db: Db, jobs: readonly ScheduledJob[], now: Date): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .insert(scheduledJob)
    .values(jobs.map((job) => ({ name: job.name, nextRunAt: job.firstRunAt?.(now) ?? now })))
    .onConflictDoNothing();
}

/**
 * Claims one due job nobody holds: one UPDATE over a `FOR UPDATE SKIP LOCKED` sub-select. A lease
 * `instance` itself still holds is over: its passes never overlap, so it runs no job when it claims,
 * and the lease is one a run cut by the database could not give back (retried as soon as it is back).
 */
async function claimOne(
  db: Db,
  names: string[],
  instance: string,
  now: Date,
  liveness: Liveness | undefined,
): Promise<string | undefined> {
  const due = db
    .select({ name: scheduledJob.name })
    .from(scheduledJob)
    .where(
      and(
        inArray(scheduledJob.name, names),
        lte(scheduledJob.nextRunAt, now),
        or(
          isNull(scheduledJob.lockedUntil),
          lt(scheduledJob.lockedUntil, now),
          eq(scheduledJob.lockedBy, instance),
          liveness ? claimOfDeadInstance(scheduledJob.lockedBy, liveness) : undefined,
        ),
      ),
    )
    .orderBy(asc(scheduledJob.nextRunAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [claimed] = await db
    .update(scheduledJob)
    .set({
      lockedUntil: new Date(now.getTime() + JOB_LEASE_MS),
      lockedBy: instance,
      lastStartedAt: now,
    })
    .where(inArray(scheduledJob.name, due))
    .returning({ name: scheduledJob.name });
  return claimed?.name;
}

/** Releases the lease (only if still ours) and schedules the next run, with the outcome. */
async function finish(
  db: Db,
  job: ScheduledJob,
  instance: string,
  now: Date,
  outcome: { result: string } | { error: string; databaseFault: boolean },
): Promise<void> {
  const every = job.everySeconds * 1000;
  const wait =
    "databaseFault" in outcome && outcome.databaseFault ? Math.min(every, JOB_RETRY_AFTER_FAULT_MS) : every;
  await db
    .update(scheduledJob)
    .set({
      lockedUntil: null,
      lockedBy: null,
      lastFinishedAt: now,
      nextRunAt: new Date(now.getTime() + wait),
      runs: sql`${scheduledJob.runs} + 1`,
      ...("result" in outcome
        ? { lastResult: outcome.result, lastError: null }
        : { lastError: outcome.error.slice(0, 2000) }),
    })
    .where(and(eq(scheduledJob.name, job.name), eq(scheduledJob.lockedBy, instance)));
}

/**
 * One pass: runs every due job this instance can claim, one after the other. A job that throws is
 * logged and recorded (`last_error`), and tried again at its next run — within a minute when the
 * database failed it (`JOB_RETRY_AFTER_FAULT_MS`); the pass goes on. While the database stays down
 * the fault is logged once a minute at most (`faults`: the scheduler's, kept from pass to pass).
 * Returns the names of the jobs run.
 */
export async function runDueJobs(
  deps: JobDeps,
  jobs: readonly ScheduledJob[],
  instance: string = deps.liveness?.id ?? randomUUID(),
  /** Aborted when the server stops: the job running ends, no other is claimed. */
  signal?: AbortSignal,
  faults: FaultLog = faultLog(deps),
): Promise<string[]> {
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const ran: string[] = [];
  while (!signal?.aborted) {
    const name = await claimOne(deps.db, [...byName.keys()], instance, deps.clock.now(), deps.liveness);
    const job = name === undefined ? undefined : byName.get(name);
    if (!job) return ran;
    byName.delete(job.name);
    ran.push(job.name);
    try {
      const result = await job.run(deps);
      await finish(deps.db, job, instance, deps.clock.now(), { result });
      faults.recovered(job.name);
    } catch (error) {
      faults.fault(job.name, error);
      // Should this fail too (the database is down), this instance's next pass claims the job again.
      await finish(deps.db, job, instance, deps.clock.now(), {
        error: messageForLog(error),
        databaseFault: isDatabaseUnavailable(error),
      }).catch(() => undefined);
    }
  }
  return ran;
}

/**
 * Gives back the leases `instance` still holds (a `finish` that failed): at shutdown, so that
 * another instance runs the job at once instead of waiting for the lease to lapse. Returns how many.
 */
export async function releaseLeases(db: Db, instance: string): Promise<number> {
  const released = await db
    .update(scheduledJob)
    .set({ lockedUntil: null, lockedBy: null })
    .where(eq(scheduledJob.lockedBy, instance))
    .returning({ name: scheduledJob.name });
  return released.length;
}

export type RunningScheduler = Poller;

/**
 * Looks for due jobs every `pollSeconds` inside the server process. A database fault (at
 * registration or in a pass) is logged and the next poll tries again: the process lives on.
 */
export function startScheduler(
  deps: JobDeps,
  jobs: readonly ScheduledJob[],
  pollSeconds: number,
): RunningScheduler {
  const instance = deps.liveness?.id ?? randomUUID();
  const faults = faultLog(deps);
  let registered = false;
  const pass = async (signal: AbortSignal) => {
    if (!registered) {
      await registerJobs(deps.db, jobs, deps.clock.now());
      registered = true;
    }
    await runDueJobs(deps, jobs, instance, signal, faults);
    faults.recovered(SCHEDULER_KEY);
  };
  const poller = pollEvery(pollSeconds, pass, (_message, error) => faults.fault(SCHEDULER_KEY, error));
  return {
    running: poller.running,
    stop: async () => {
      await poller.stop();
      await releaseLeases(deps.db, instance).catch((error: unknown) =>
        deps.log(`Tâches planifiées : baux non rendus (${shortMessage(error)})`),
      );
    },
  };
}
