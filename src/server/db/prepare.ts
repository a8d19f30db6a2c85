import { sql } from "drizzle-orm";
import type { Db } from "./createDb";
import { type DemoAccount, isDatabaseEmpty, seedDemo } from "./seed/demo";
import { seedDemoActivity } from "./seed/demoActivity";

/** The login role of a `postgres://role@host/db` URL. */
export function roleOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * The server's role gets only what it needs (ADR 0008): rows of every table, but the journal is
 * read and append only; no TRUNCATE, no ownership, so no ALTER TABLE, no trigger change. Run by
 * the owner after every migration, so new tables are covered.
 */
export async function grantAppRole(db: Db, role: string): Promise<void> {
  const app = sql.identifier(role);
  await db.transaction(async (tx) => {
    await tx.execute(sql`GRANT USAGE ON SCHEMA public TO ${app}`);
    await tx.execute(sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`);
    await tx.execute(sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
    await tx.execute(sql`REVOKE UPDATE, DELETE ON audit_event FROM ${app}`);
    await tx.execute(sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    await tx.execute(sql`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${app}`);
  });
}

export interface AfterMigrations {
  /** The server's least-privilege role, when migrations run as another (owner) role. */
  appRole: string | null;
  /** Load the demo data set if the database is empty, as of this date. */
  demoAsOf: Date | null;
}

/**
 * What follows the migrations, under their advisory lock: grants, then the demo data set as ONE
 * transaction (structure, agents, people and six months of activity), so an instance killed
 * halfway leaves an empty database that the next start seeds again, never a partial demo.
 */
export async function afterMigrations(db: Db, steps: AfterMigrations): Promise<DemoAccount[]> {
  if (steps.appRole) await grantAppRole(db, steps.appRole);
  const today = steps.demoAsOf;
  if (!today) return [];
  return db.transaction(async (tx) => {
    if (!(await isDatabaseEmpty(tx))) return [];
    const accounts = await seedDemo(tx, today);
    await seedDemoActivity(tx, today);
    return accounts;
  });
}
