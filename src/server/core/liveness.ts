/**
 * Liveness of the server instances (ADR 0004, addendum 2026-12-05). Each server process has a
 * random id and beats in `server_instance` every `graceMs / 6`, with the database's clock only
 * (instances may have skewed clocks, tests a fake one). What it claims (a notification, a scheduled
 * job) names it, so another instance can end at once the claims of one that died (kill -9, crash,
 * power cut) instead of waiting for their lease. Judged dead is an instance whose heartbeat is older
 * than the grace; nobody is judged unless the judge has itself beaten without a gap for longer than
 * the grace, and the database has been up for as long: right after a database restart, or a network
 * cut shared by all, every heartbeat is stale until the instances reconnect.
 */
import { randomUUID } from "node:crypto";
import { type AnyColumn, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/createDb";
import { serverInstance } from "../db/schema";
import { errorForLog } from "./dbErrors";
import { type Poller, pollEvery } from "./poller";

export interface Liveness {
  /** This process's id, written in each of its claims. */
  id: string;
  /** A heartbeat older than this (database clock) is a dead instance's. */
  graceMs: number;
  /** When the database last started (default `pg_postmaster_start_time()`); tests put `now()`. */
  databaseStartedAt?: SQL;
}

export const newLiveness = (graceMs: number): Liveness => ({ id: randomUUID(), graceMs });

/** How often an instance beats: six beats within the grace. */
export const beatEveryMs = (graceMs: number): number => Math.floor(graceMs / 6);

/** A gap between two beats longer than this (two beats) starts a new run (`alive_since`). */
const gapMs = (graceMs: number): number => 2 * beatEveryMs(graceMs);

/** An interval literal of whole milliseconds (a number, never text from outside). */
const interval = (ms: number): SQL => sql.raw(`interval '${Math.round(ms)} milliseconds'`);

/** How long a silent instance's row is kept (its claims are long over by then). */
const FORGET_AFTER = sql.raw(`interval '1 day'`);

/**
 * One heartbeat: the row is written (again, if a day of silence or a restored backup lost it) with
 * `heartbeat_at = now()`; `alive_since` starts again after a gap. Rows silent for a day are deleted.
 */
export async function beat(db: Db, liveness: Liveness): Promise<void> {
  await db
    .insert(serverInstance)
    .values({ id: liveness.id })
    .onConflictDoUpdate({
      target: serverInstance.id,
      set: {
        aliveSince: sql`case when ${serverInstance.heartbeatAt} >= now() - ${interval(gapMs(liveness.graceMs))}
          then ${serverInstance.aliveSince} else now() end`,
        heartbeatAt: sql`now()`,
      },
    });
  await db.delete(serverInstance).where(sql`${serverInstance.heartbeatAt} < now() - ${FORGET_AFTER}`);
}

/**
 * True for a row whose claim (`claimedBy`, an instance id) belongs to a dead instance: one known to
 * `server_instance` whose heartbeat is older than the grace. An unknown id (a claim of a version
 * without liveness, a row deleted at a clean stop or after a day) is left to its lease. Judged only
 * when the database has been up for longer than the grace and the judge has beaten without a gap
 * for as long, up to now. Never true for the judge's own claims (its heartbeat is fresh).
 */
export function claimOfDeadInstance(claimedBy: AnyColumn, liveness: Liveness): SQL {
  const grace = interval(liveness.graceMs);
  const databaseStartedAt = liveness.databaseStartedAt ?? sql`pg_postmaster_start_time()`;
  return sql`(${databaseStartedAt} < now() - ${grace}
    and exists (select 1 from server_instance judge where judge.id = ${liveness.id}
      and judge.heartbeat_at >= now() - ${interval(gapMs(liveness.graceMs))}
      and judge.alive_since < now() - ${grace})
    and exists (select 1 from server_instance claimant where claimant.id::text = ${claimedBy}::text
      and claimant.heartbeat_at < now() - ${grace}))`;
}

/** How long a stop waits for the last beat and the deletion of its row. */
const STOP_WAIT_MS = 500;

export interface RunningLiveness {
  stop(): Promise<void>;
}

/**
 * Beats once (before anything is claimed under this id), then every `beatEveryMs`. `stop()`, once
 * everything the instance claimed is handed back, deletes its row: nothing of it is left to judge.
 */
export async function startLiveness(
  db: Db,
  liveness: Liveness,
  log: (line: string) => void,
): Promise<RunningLiveness> {
  await beat(db, liveness);
  const poller: Poller = pollEvery(
    beatEveryMs(liveness.graceMs) / 1000,
    () => beat(db, liveness),
    (_message, error) => log(`Signal de vie de l'instance : ${errorForLog(error)}`),
  );
  return {
    // Tidiness only (a row left behind is judged dead once silent, when nothing is claimed under it):
    // bounded, so a stop over silent connections is not held by a beat or this delete.
    stop: async () => {
      const forget = poller
        .stop()
        .then(() => db.delete(serverInstance).where(eq(serverInstance.id, liveness.id)))
        .catch((error: unknown) =>
          log(`Signal de vie de l'instance : ligne non effacée (${errorForLog(error)})`),
        );
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        forget,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, STOP_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
