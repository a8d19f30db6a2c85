/**
 * An exact result cache for the steering figures (ADR 0022). Every transaction that changes what the
 * figures of a structure are computed from increments that structure's counter in `stat_version` at
 * its commit (migration triggers); counters only grow, so the sum over the selected structures (and
 * the nil uuid's, for what every structure shares) changes whenever one of them does. A result is
 * kept only when that sum was the same before and after computing it: every query then saw the same
 * committed changes as the first read of the sum. It is served only while the sum is unchanged, i.e.
 * while no change the figures depend on has committed since. What is cached must be a function of the
 * database state only: never of the clock (a figure "as of now" is computed beside it).
 */
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/createDb";

/** The counter shared by every structure: catalogue, partners, a rebuild of the rollups. */
export const SHARED_VERSION = "00000000-0000-0000-0000-000000000000";

export interface FigureCache {
  entries: Map<string, { version: string; value: unknown }>;
  /**
   * Computations under way, by version and key: a request that asks for the same figures meanwhile
   * (the dashboard and the comparison of structures, read at once by the page) waits for them.
   */
  running: Map<string, Promise<{ value: unknown; kept: boolean }>>;
  maxEntries: number;
  /** Reads served from the cache, and computations (for the bench and the tests). */
  hits: number;
  misses: number;
}

export function createFigureCache(maxEntries = 100): FigureCache {
  return { entries: new Map(), running: new Map(), maxEntries, hits: 0, misses: 0 };
}

/** The version of the figures of `structureIds`: the sum of their counters and the shared one. */
export async function figuresVersion(db: Db, structureIds: string[]): Promise<string> {
  const [row] = await rowsOf<{ v: string }>(
    db,
    sql`select coalesce(sum(n), 0)::text as v from stat_version
      where structure_id = any(${`{${[SHARED_VERSION, ...structureIds].join(",")}}`}::uuid[])`,
  );
  return row?.v ?? "0";
}

/**
 * `compute()` (figures of `structureIds` only, a function of the database state), from the cache when
 * nothing they depend on has changed since it was kept. Without a cache, `compute()`.
 */
export async function cachedFigures<T>(
  db: Db,
  cache: FigureCache | undefined,
  key: string,
  structureIds: string[],
  compute: () => Promise<T>,
): Promise<T> {
  if (!cache) return compute();
  const before = await figuresVersion(db, structureIds);
  const kept = cache.entries.get(key);
  if (kept && kept.version === before) {
    cache.hits += 1;
    // Most recently used last: the first entry is the one to drop.
    cache.entries.delete(key);
    cache.entries.set(key, kept);
    return kept.value as T;
  }
  // The same figures are being computed from the same version: their result is what the cache
  // would serve this request, once kept (a change committed meanwhile: this request computes its own).
  const runningKey = `${before} ${key}`;
  const running = cache.running.get(runningKey);
  if (running) {
    const shared = await running.catch(() => null);
    if (shared?.kept) {
      cache.hits += 1;
      return shared.value as T;
    }
  }
  cache.misses += 1;
  const computation = computeAndKeep(db, cache, key, structureIds, before, compute);
  if (!running) {
    cache.running.set(runningKey, computation);
    void computation
      .catch(() => null)
      .finally(() => {
        if (cache.running.get(runningKey) === computation) cache.running.delete(runningKey);
      });
  }
  return (await computation).value as T;
}

/** Computes, and keeps the result when the version read after is still `before`. */
async function computeAndKeep<T>(
  db: Db,
  cache: FigureCache,
  key: string,
  structureIds: string[],
  before: string,
  compute: () => Promise<T>,
): Promise<{ value: T; kept: boolean }> {
  const value = await compute();
  if ((await figuresVersion(db, structureIds)) !== before) return { value, kept: false };
  cache.entries.delete(key);
  cache.entries.set(key, { version: before, value });
  while (cache.entries.size > cache.maxEntries) {
    const oldest = cache.entries.keys().next().value;
    if (oldest === undefined) break;
    cache.entries.delete(oldest);
  }
  return { value, kept: true };
}
