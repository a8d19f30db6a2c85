import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema";

/** The database handle every store and query takes: a Drizzle database or a transaction inside one. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DbHandle {
  db: Db;
  driver: "pglite" | "pg";
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Only for PGlite: the raw instance (used to dump a template in tests). */
  pglite?: PGlite;
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export type DbOptions =
  | { driver: "pg"; url: string; poolSize?: number }
  | { driver: "pglite"; dataDir?: string; loadDataDir?: Blob };

/** PostgreSQL when a URL is given, the embedded PGlite otherwise: one dialect, one set of migrations. */
export async function createDb(options: DbOptions): Promise<DbHandle> {
  if (options.driver === "pg") {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection the server closes (restart, admin kill) must not crash the process: the
    // pool drops it and opens another on the next query.
    pool.on("error", (error) => console.error(`PostgreSQL : connexion inactive perdue (${error.message})`));
    const db = drizzlePg(pool, { schema });
    return {
      db: db as unknown as Db,
      driver: "pg",
      migrate: () => migratePg(db, { migrationsFolder }),
      close: () => pool.end(),
    };
  }
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema });
  return {
    db: db as unknown as Db,
    driver: "pglite",
    pglite: client,
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}
