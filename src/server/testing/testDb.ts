import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type DbHandle } from "../db/createDb";
import { appDatabaseUrl, templateDatabaseName, withDatabase } from "./constants";

/**
 * A fresh database for one test file, copied from the migrated and seeded template: PGlite by
 * default, PostgreSQL in the "postgres" project. `close()` drops the copy.
 */
export type TestDbHandle = DbHandle & {
  /** Another, independent connection pool to the same database, as a second app instance would have. */
  openSecondPool(): Promise<DbHandle>;
  /** A connection as the tables' owner, for maintenance the server's role may not do (close it). */
  openOwnerPool(): Promise<DbHandle>;
};

export async function openTestDb(): Promise<TestDbHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (process.env.TEST_DB_DRIVER === "pg" && url) {
    const name = `passerelle_t_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName(url)}"`);
    await admin.end();
    // The server's role: rows only, no ownership (the template's grants are copied with it).
    const appUrl = appDatabaseUrl(url, name);
    const handle = await createDb({ driver: "pg", url: appUrl, poolSize: 4 });
    return {
      ...handle,
      openSecondPool: () => createDb({ driver: "pg", url: appUrl, poolSize: 4 }),
      openOwnerPool: () => createDb({ driver: "pg", url: withDatabase(url, name), poolSize: 1 }),
      close: async () => {
        await handle.close();
        const cleaner = new pg.Client({ connectionString: url });
        await cleaner.connect();
        await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await cleaner.end();
      },
    };
  }
  const dump = readFileSync(inject("pgliteTemplatePath"));
  const handle = await createDb({ driver: "pglite", loadDataDir: new Blob([dump]) });
  // PGlite is one in-process connection: a "second instance" can only share it (close is a no-op).
  const shared = async (): Promise<DbHandle> => ({ ...handle, close: async () => {} });
  return { ...handle, openSecondPool: shared, openOwnerPool: shared };
}
