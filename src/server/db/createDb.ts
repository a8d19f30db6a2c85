import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema";

/** The database handle every store and query takes: a Drizzle database or a transaction inside one. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The rows of a raw SQL query, whichever driver ran it. */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

const dialect = new PgDialect();
/** Statement text → its name; bounded, as the texts are (a policy's text varies with the number of memberships). */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 200;

/**
 * `rowsOf` as a named prepared statement, for the reads on the hot path (issue 12): each pooled
 * connection parses and plans the text once, PostgreSQL then reuses the plan, and a request pays
 * only the execution. The values stay parameters (`sql` templates bind them); past
 * MAX_NAMED_STATEMENTS distinct texts, a statement runs unnamed. PGlite runs it as any query.
 */
export async function preparedRowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const built = dialect.sqlToQuery(query);
  let name = statementNames.get(built.sql);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `passerelle_${statementNames.size + 1}`;
    statementNames.set(built.sql, name);
  }
  const result = await db._.session.prepareQuery(built, undefined, name, false).execute();
  return (result as unknown as { rows: T[] }).rows;
}

export interface DbHandle {
  db: Db;
  driver: "pglite" | "pg";
  /**
   * Applies the pending migrations, then runs `andThen` (grants, first-run seed) on the same
   * connection, all under one PostgreSQL advisory lock: instances started together take turns.
   */
  migrate<T = void>(andThen?: (db: Db) => Promise<T>): Promise<T | undefined>;
  close(): Promise<void>;
  /** Only for PGlite: the raw instance (used to dump a template in tests). */
  pglite?: PGlite;
}

/** The SQL migrations; in the compiled server, copied beside it (dist/server/migrations). */
export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** The advisory lock key of migrations and seeds ("Pass" in ASCII); advisory locks are per database. */
export const MIGRATION_LOCK_KEY = 0x50617373;

/** Server-side limits of every connection of the pool, in milliseconds (unset: no limit). */
export interface PgTimeouts {
  /** A statement running longer is cancelled (57014): the request answers 503. */
  statementMs: number;
  /** A lock waited for longer fails (55P03): a locked table answers 503 rather than hanging. */
  lockMs: number;
  /** A transaction left idle this long is ended by the server, releasing its locks. */
  idleInTransactionMs: number;
  /** Waiting this long for a connection (pool full or server unreachable) fails the request. */
  connectMs: number;
}

/**
 * Client-side limit of a query, past the server's statement timeout: the server's limit cannot fire
 * when the connection went silent without being closed (failover, network cut), so the driver gives
 * up a little later and the connection is destroyed (never handed out again): the pool then opens
 * fresh ones, and serves again as soon as the database is reachable (ADR 0008, addendum).
 */
export const QUERY_TIMEOUT_MARGIN_MS = 1000;
/** TCP keepalive probes on idle connections start after this long (the kernel then drops a dead peer). */
export const KEEPALIVE_INITIAL_DELAY_MS = 10_000;

/**
 * The statement raising the server's statement timeout for the rest of a transaction (long
 * exports, `longStatements.ts`); the pool recognises it and raises its client-side limit with it.
 */
export function transactionStatementTimeout(ms: number): SQL {
  return sql`select set_config('statement_timeout', ${String(ms)}, true)`;
}
const RAISED_TIMEOUT_TEXT = dialect.sqlToQuery(transactionStatementTimeout(0)).sql;

export type DbOptions =
  | { driver: "pg"; url: string; poolSize?: number; timeouts?: PgTimeouts }
  | { driver: "pglite"; dataDir?: string; loadDataDir?: Blob };

/** The PostgreSQL extensions the migrations create, loaded into every PGlite instance (ADR 0011). */
export const pgliteExtensions = { pg_trgm };

/** PostgreSQL when a URL is given, the embedded PGlite otherwise: one dialect, one set of migrations. */
export async function createDb(options: DbOptions): Promise<DbHandle> {
  if (options.driver === "pg") return createPg(options);
  const client = await PGlite.create({
    extensions: pgliteExtensions,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema });
  return {
    db: db as unknown as Db,
    driver: "pglite",
    pglite: client,
    // One process owns a PGlite data directory: no other instance to take turns with.
    migrate: async (andThen) => {
      await migratePglite(db, { migrationsFolder });
      return andThen?.(db as unknown as Db);
    },
    close: () => client.close(),
  };
}

function createPg(options: Extract<DbOptions, { driver: "pg" }>): DbHandle {
  const { timeouts } = options;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // No JIT compilation: every query estimated above jit_above_cost paid it (measured on the
    // national dataset: 109 ms of compiling for one count over a year of démarches), while ours are
    // meant to run in milliseconds.
    options: "-c jit=off",
    ...(timeouts
      ? {
          statement_timeout: timeouts.statementMs,
          lock_timeout: timeouts.lockMs,
          idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
          connectionTimeoutMillis: timeouts.connectMs,
          query_timeout: timeouts.statementMs + QUERY_TIMEOUT_MARGIN_MS,
        }
      : {}),
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
  });
  // A connection the server closes (restart, failover, admin kill) must not crash the process. The
  // pool listens on idle clients only; a client checked out (inside a transaction) gets its own
  // listener, its query in flight fails (503) and the pool drops it when it is released.
  pool.on("error", (error) => console.error(`PostgreSQL : connexion inactive perdue (${error.message})`));
  const checkedOut = new Set<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => {
    checkedOut.delete(client);
    raisedTimeouts.delete(client);
  });
  const raisedTimeouts = new Map<pg.PoolClient, number>();
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      if (!checkedOut.has(client)) return; // idle: the pool's own listener above drops it
      console.error(`PostgreSQL : connexion perdue pendant une requête (${error.message})`);
      releaseIfLeaked(client, error, checkedOut);
    });
    if (timeouts) destroyOnQueryTimeout(client, raisedTimeouts);
  });
  const db = drizzlePg(pool, { schema });
  return {
    db: db as unknown as Db,
    driver: "pg",
    migrate: async (andThen) => {
      const client = await pool.connect();
      let failed = false;
      try {
        // Session-level lock on this one connection: released by the unlock below, or by the
        // server if this process dies halfway (the transactions of the seed roll back).
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        const locked = drizzlePg(client, { schema });
        try {
          await migratePg(locked, { migrationsFolder });
          return await andThen?.(locked as unknown as Db);
        } finally {
          await locked.execute(sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
        }
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // A failed connection is destroyed rather than returned to the pool still holding the lock.
        client.release(failed);
      }
    },
    close: () => endPool(pool),
  };
}

/** How long `close` waits for connections to end politely before cutting them. */
const POOL_END_GRACE_MS = 2000;

/**
 * Ends the pool; a connection gone silent (network cut) never acknowledges the end, which would hold
 * the shutdown until the kernel gives up on it (minutes): past a short grace, its socket is destroyed.
 */
async function endPool(pool: pg.Pool): Promise<void> {
  const ended = pool.end();
  const cut = setTimeout(() => {
    const clients = (pool as unknown as { _clients: { connection?: { stream?: { destroy(): void } } }[] })
      ._clients;
    for (const client of clients) client.connection?.stream?.destroy();
  }, POOL_END_GRACE_MS);
  try {
    await ended;
  } finally {
    clearTimeout(cut);
  }
}

const QUERY_TIMEOUT_MESSAGE = "Query read timeout";
type QueryCallback = (error: Error | null, result?: unknown) => void;

/**
 * node-postgres answers a query past its `query_timeout` with an error but keeps the connection,
 * still waiting for the answer of the lost query: every later query on it would time out too, and a
 * transaction's client goes back to the pool (Drizzle releases it without the error). The socket is
 * destroyed instead: the client is no longer queryable, so the pool drops it on release (or at once,
 * when idle) and opens a new connection for the next request. Inside a transaction that raised its
 * statement timeout (long export), the client-side limit follows it.
 */
function destroyOnQueryTimeout(client: pg.PoolClient, raised: Map<pg.PoolClient, number>): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const destroyIfTimedOut = (error: unknown) => {
    if (!(error instanceof Error) || error.message !== QUERY_TIMEOUT_MESSAGE) return;
    console.error("PostgreSQL : requête sans réponse, connexion abandonnée (query_timeout)");
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  };
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [first, values] = args;
    const text = typeof first === "string" ? first : (first as { text?: unknown } | null)?.text;
    if (text === RAISED_TIMEOUT_TEXT && Array.isArray(values))
      raised.set(client, Number(values[0]) + QUERY_TIMEOUT_MARGIN_MS);
    const longer = raised.get(client);
    if (
      longer &&
      (typeof first === "string" || (typeof first === "object" && first !== null && !("submit" in first)))
    )
      args[0] =
        typeof first === "string"
          ? { text: first, query_timeout: longer }
          : { ...first, query_timeout: longer };
    const last = args.at(-1);
    if (typeof last === "function") {
      args[args.length - 1] = (error: Error | null, result?: unknown) => {
        destroyIfTimedOut(error);
        (last as QueryCallback)(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch(destroyIfTimedOut);
    return result;
  };
}

/**
 * Drizzle (0.45) does not release a pooled client whose `begin` fails, as it does when the
 * connection died just before: each such transaction would keep a slot of the pool forever, and
 * after `max` of them every request would wait for a connection. A dead client still checked out
 * a moment after its error is released (and so dropped) here; a later release by its holder is a no-op.
 */
function releaseIfLeaked(client: pg.PoolClient, error: Error, checkedOut: Set<pg.PoolClient>): void {
  setTimeout(() => {
    if (!checkedOut.has(client)) return;
    const release = client.release;
    client.release = () => {};
    release(error);
  }, 1000).unref();
}
