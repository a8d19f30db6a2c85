import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDb } from "../db/createDb";
import { grantAppRole, roleOfUrl } from "../db/prepare";
import { seedDemo } from "../db/seed/demo";
import { appDatabaseUrl, TEST_TODAY, templateDatabaseName, withDatabase } from "./constants";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
  }
}

/**
 * Migrates and seeds one template database per run; each test file then starts from a copy:
 * a PGlite data-dir dump, or `CREATE DATABASE ... TEMPLATE` on PostgreSQL. No initdb per test.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (project.name === "postgres") return setupPostgresTemplate();
  const dir = path.resolve(".tmp");
  mkdirSync(dir, { recursive: true });
  const templatePath = path.join(dir, `pglite-template-${process.pid}.tar.gz`);
  const handle = await createDb({ driver: "pglite" });
  await handle.migrate();
  await seedDemo(handle.db, new Date(`${TEST_TODAY}T09:00:00Z`));
  const dump = await handle.pglite?.dumpDataDir("gzip");
  if (!dump) throw new Error("PGlite dump failed");
  writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide("pgliteTemplatePath", templatePath);
}

async function setupPostgresTemplate(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const name = templateDatabaseName(url);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    // Tests connect as a least-privilege role, as the server does in production (ADR 0008).
    const appRole = roleOfUrl(appDatabaseUrl(url, name));
    if (!/^[a-z_][a-z0-9_]*$/.test(appRole)) throw new Error(`unexpected test role name ${appRole}`);
    await admin.query(
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${appRole}') THEN CREATE ROLE ${appRole} LOGIN; END IF; END $$`,
    );
    await admin.end();
    const template = await createDb({ driver: "pg", url: withDatabase(url, name), poolSize: 1 });
    await template.migrate();
    await seedDemo(template.db, new Date(`${TEST_TODAY}T09:00:00Z`));
    await grantAppRole(template.db, appRole);
    await template.close();
  }
}
