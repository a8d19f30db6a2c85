import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import pg from "pg";
import { rowsOf } from "../db/createDb";
import type { TestApp } from "./testApp";

type Answer = Awaited<ReturnType<TestApp["app"]["inject"]>>;

/** One round: the two requests (each sent once) and what must hold of their answers. */
export interface Interleaved {
  first: () => Promise<Answer>;
  second: () => Promise<Answer>;
  check: (answers: [Answer, Answer]) => Promise<void>;
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const clientQuery = pg.Client.prototype.query as unknown as Query;

/**
 * A gate on the statements that run inside transactions (those sent on a checked-out connection, as
 * Drizzle's transactions send them; the pool's own one-off queries pass): the `after`-th statement
 * sent from now on runs, then its caller waits with its answer until `release()`. One use.
 */
function holdAfterStatement(after: number) {
  let seen = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached = () => {};
  const held = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const patched: Query = function (this: pg.Client, ...args) {
    const result = clientQuery.apply(this, args);
    if (typeof args[args.length - 1] === "function" || !(result instanceof Promise)) return result;
    seen += 1;
    if (seen !== after) return result;
    return result.then(
      async (value) => {
        reached();
        await released;
        return value;
      },
      async (error) => {
        reached();
        await released;
        throw error;
      },
    );
  };
  (pg.Client.prototype as unknown as { query: Query }).query = patched;
  return {
    held,
    release: () => {
      (pg.Client.prototype as unknown as { query: Query }).query = clientQuery;
      release();
    },
  };
}

/** Resolves once a connection of this test's database waits for a lock (the held transaction's). */
async function waitingForALock(t: TestApp, signal: { done: boolean }): Promise<void> {
  while (!signal.done) {
    const waiting = await rowsOf<{ n: number }>(
      t.handle.db,
      sql`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((waiting[0]?.n ?? 0) > 0) return;
    await sleep(5);
  }
}

/**
 * The same write sent twice at once, at every point of the first's transaction in turn: the first
 * request is held after its n-th statement (n = 1, 2, …) while the second runs whole — or until the
 * second waits for a lock the first holds — then the first goes on. So the second's commit lands
 * between any two statements of the first, deterministically, where two requests really sent at
 * once would only rarely hit the narrow windows (a row read in one statement, its children in
 * another: ADR 0036). The last round, past the first's last statement, is the second sent afterwards.
 * On PGlite (one connection, transactions in turn) only that last round runs. Answers the rounds run.
 */
export async function atEveryStatement(t: TestApp, round: () => Promise<Interleaved>): Promise<number> {
  for (let n = 1; ; n += 1) {
    const { first, second, check } = await round();
    const gate = holdAfterStatement(n);
    const firstDone = { done: false };
    const answeringFirst = first().finally(() => {
      firstDone.done = true;
    });
    try {
      await Promise.race([gate.held, answeringFirst]);
    } catch {
      // The first request's failure is checked with its answer, below.
    }
    if (firstDone.done || t.handle.driver !== "pg") {
      // Past its last statement (or on PGlite): the second is a retry sent afterwards, the last round.
      gate.release();
      await check([await answeringFirst, await second()]);
      return n;
    }
    const secondDone = { done: false };
    const answeringSecond = second().finally(() => {
      secondDone.done = true;
    });
    await Promise.race([
      answeringSecond,
      waitingForALock(t, secondDone),
      sleep(5_000, undefined, { ref: false }),
    ]);
    secondDone.done = true;
    gate.release();
    await check([await answeringFirst, await answeringSecond]);
  }
}
