import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "./createDb";
import { type DemoAccount, isDatabaseEmpty, otherStructureAccounts, seedDemo } from "./seed/demo";
import { seedDemoActions } from "./seed/demoActions";
import { seedDemoActivity } from "./seed/demoActivity";
import { seedDemoDetention } from "./seed/demoDetention";
import { seedDemoStage } from "./seed/demoLocalPartners";

/** The login role of a `postgres://role@host/db` URL. */
export function roleOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * The server's role gets only what it needs (ADR 0008): rows of every table, but the journal is
 * read and append only; no TRUNCATE, no ownership, so no ALTER TABLE, no trigger change, and no
 * CREATE in schema `public` (revoked from PUBLIC and from the role when the owner owns the schema,
 * as PostgreSQL 15 does by default; databases created before 15 granted it to everyone). Run by the
 * owner after every migration, so new tables are covered. Returns a warning when the server's role
 * can still create objects in `public` (the owner could not revoke it), else null.
 */
export async function grantAppRole(db: Db, role: string): Promise<string | null> {
  const app = sql.identifier(role);
  return db.transaction(async (tx) => {
    const [schema] = await rowsOf<{ owned: boolean }>(
      tx,
      sql`select pg_has_role(current_user, nspowner, 'MEMBER') as owned from pg_namespace where nspname = 'public'`,
    );
    if (schema?.owned) {
      await tx.execute(sql`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
      await tx.execute(sql`REVOKE CREATE ON SCHEMA public FROM ${app}`);
    }
    await tx.execute(sql`GRANT USAGE ON SCHEMA public TO ${app}`);
    await tx.execute(sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`);
    await tx.execute(sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
    await tx.execute(sql`REVOKE UPDATE, DELETE ON audit_event FROM ${app}`);
    await tx.execute(sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    await tx.execute(sql`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${app}`);
    // The readiness probe reads which migrations were applied (core/readiness.ts), nothing more.
    await tx.execute(sql`GRANT USAGE ON SCHEMA drizzle TO ${app}`);
    await tx.execute(sql`GRANT SELECT ON drizzle.__drizzle_migrations TO ${app}`);
    const [still] = await rowsOf<{ can_create: boolean }>(
      tx,
      sql`select has_schema_privilege(${role}, 'public', 'CREATE') as can_create`,
    );
    return still?.can_create
      ? `Attention : le rôle ${role} peut encore créer des objets dans le schéma public, que le rôle des migrations ne possède pas. Exécutez en tant que propriétaire du schéma : REVOKE CREATE ON SCHEMA public FROM PUBLIC, ${role};`
      : null;
  });
}

export interface AfterMigrations {
  /** The server's least-privilege role, when migrations run as another (owner) role. */
  appRole: string | null;
  /** Load the demo data set if the database is empty, as of this date. */
  demoAsOf: Date | null;
  /** Where a grant that could not be made is reported (the server's log). */
  warn?: (message: string) => void;
}

/**
 * What follows the migrations, under their advisory lock: grants, then the demo data set as ONE
 * transaction (structure, agents, people and six months of activity), so an instance killed
 * halfway leaves an empty database that the next start seeds again, never a partial demo.
 */
export async function afterMigrations(db: Db, steps: AfterMigrations): Promise<DemoAccount[]> {
  if (steps.appRole) {
    const warning = await grantAppRole(db, steps.appRole);
    if (warning) steps.warn?.(warning);
  }
  const today = steps.demoAsOf;
  if (!today) return [];
  return db.transaction(async (tx) => {
    if (!(await isDatabaseEmpty(tx))) return [];
    const accounts = await seedDemo(tx, today);
    await seedDemoActivity(tx, today);
    await seedDemoDetention(tx, today);
    await seedDemoActions(tx, today);
    await seedDemoStage(tx, today);
    return [...accounts, ...(await otherStructureAccounts(tx))];
  });
}
