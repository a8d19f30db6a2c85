/**
 * What `/readyz` checks (ADR 0026): the database answers, every migration of this build is applied,
 * and the background loops the configuration asks for (outbox worker, scheduled jobs) are running.
 * Once the server is stopping it is never ready again, so a load balancer stops sending requests.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Db, migrationsFolder, rowsOf } from "../db/createDb";
import type { Poller } from "./poller";

export type LoopName = "worker" | "scheduler";

export interface Readiness {
  /** A loop the configuration asks for; `null` (turned off by the configuration) counts as fine. */
  attach(name: LoopName, loop: Poller | null): void;
  /** From now on, not ready (graceful shutdown). */
  stopping(): void;
  /** Which checks fail; empty: ready. Never throws. */
  failures(): Promise<string[]>;
}

/** How long the database may take to answer the probe before it counts as unreachable. */
export const READINESS_DB_TIMEOUT_MS = 3_000;

/** The `when` of the last migration this build carries (drizzle's journal). */
export function lastMigrationMillis(folder: string = migrationsFolder): number {
  const journal = JSON.parse(readFileSync(path.join(folder, "meta/_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  return Math.max(0, ...journal.entries.map((entry) => entry.when));
}

async function lastAppliedMillis(db: Db): Promise<number> {
  const [row] = await rowsOf<{ last: string | number | null }>(
    db,
    sql`select max(created_at) as last from drizzle.__drizzle_migrations`,
  );
  return Number(row?.last ?? 0);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createReadiness(
  db: Db,
  expected: readonly LoopName[] = [],
  /** The newest migration the database must have (default: this build's). */
  lastMigration: number = lastMigrationMillis(),
): Readiness {
  const loops = new Map<LoopName, Poller | null>();
  let stopping = false;
  return {
    attach: (name, loop) => {
      loops.set(name, loop);
    },
    stopping: () => {
      stopping = true;
    },
    failures: async () => {
      if (stopping) return ["stopping"];
      const failed: string[] = expected.filter((name) => {
        const loop = loops.get(name);
        return loop === undefined || (loop !== null && !loop.running());
      });
      try {
        const applied = await withTimeout(lastAppliedMillis(db), READINESS_DB_TIMEOUT_MS);
        if (applied < lastMigration) failed.push("migrations");
      } catch {
        failed.push("database");
      }
      return failed;
    },
  };
}
