/**
 * `retention.purge`, daily (ADR 0024): the retention run of every structure, then the national
 * part (sessions, sign-in attempts, journal rows of no structure). Each structure's run is
 * journaled in counts, never names. Idempotent: every write re-checks "still due".
 */

import type { RetentionCounts } from "../../../common/retention/retention.schema";
import { journal } from "../../core/audit";
import type { Clock } from "../../core/clock";
import { isDatabaseUnavailable, messageForLog } from "../../core/dbErrors";
import { parisInstant } from "../../core/parisTime";
import type { JobDeps, ScheduledJob } from "../../core/scheduler";
import type { Db } from "../../db/createDb";
import { structure } from "../../db/schema";
import { addCounts, describeCounts, noCounts, runForStructure, runNational } from "./purge";

const systemContext = (clock: Clock) => ({ requestId: "", ip: "", clock, actorUserId: null });

/** Runs and journals the retention of one structure (`actorUserId`: who asked, null for the job). */
export async function runAndJournal(
  db: Db,
  clock: Clock,
  structureId: string,
  actor: { userId: string | null; requestId: string; ip: string },
  log: (line: string, error: unknown) => void,
): Promise<RetentionCounts> {
  const counts = await runForStructure(db, structureId, clock.now(), {
    dryRun: false,
    onFailure: (error) => log(`Effacement en échec : ${messageForLog(error)}`, error),
  });
  await journal(
    db,
    { requestId: actor.requestId, ip: actor.ip, clock, actorUserId: actor.userId },
    {
      action: "retention.run",
      targetType: "structure",
      targetId: structureId,
      structureId,
      reason: describeCounts(counts),
    },
  );
  return counts;
}

/** 3 a.m. (Paris) after `now`: the purge runs at night, when nobody works on the files. */
export function nextNight(now: Date): Date {
  const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(
    new Date(now.getTime() + 24 * 3600_000),
  );
  return parisInstant(tomorrow, "03:00");
}

export const retentionPurge: ScheduledJob = {
  name: "retention.purge",
  everySeconds: 24 * 3600,
  firstRunAt: nextNight,
  async run({ db, clock, log }: JobDeps): Promise<string> {
    // An erasure the database failed (restart, refused connection): the run goes on and is
    // journaled, then ends in that error, so that the scheduler tries again within a minute.
    let databaseFault: unknown;
    const logFailure = (line: string, error: unknown) => {
      if (databaseFault === undefined && isDatabaseUnavailable(error)) databaseFault = error;
      log(line);
    };
    let total = noCounts();
    for (const { id } of await db.select({ id: structure.id }).from(structure)) {
      total = addCounts(
        total,
        await runAndJournal(db, clock, id, { userId: null, requestId: "", ip: "" }, logFailure),
      );
    }
    const national = await runNational(db, clock.now(), { dryRun: false });
    await journal(db, systemContext(clock), {
      action: "retention.run",
      targetType: "national",
      reason: describeCounts(national),
    });
    const done = describeCounts(addCounts(total, national));
    if (databaseFault !== undefined)
      throw new Error(`${done} ; effacements interrompus par la base, repris sous une minute`, {
        cause: databaseFault,
      });
    return done;
  },
};
