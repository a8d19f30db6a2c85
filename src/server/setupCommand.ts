/**
 * `npm run setup -- <file.json>` (compiled: `node dist/server/setup.js <file.json>`): the first
 * structure of a production database, its services, sites and first direction account, and the
 * national catalogue when missing (ADR 0037, README "Premier démarrage en production"). The
 * database of the configuration (DATABASE_URL, migrated as MIGRATION_DATABASE_URL when set, else
 * PGlite in DATA_DIR, which must not be in use by a server), migrated first as the server does.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { roleLabels } from "../common/roles";
import { type Clock, systemClock } from "./core/clock";
import { commandFile } from "./core/commandFiles";
import { ConfigError, loadConfig } from "./core/config";
import { pgliteDirOf } from "./db/backup";
import { createDb, type Db, type DbHandle } from "./db/createDb";
import { DataDirError, lockDataDir } from "./db/dataDirLock";
import { afterMigrations, roleOfUrl } from "./db/prepare";
import { DatabaseUnreachableError, unreachable } from "./db/unreachable";
import { ACTIVATION_HOURS } from "./domains/identity/accountNotices";
import {
  parseSetupFile,
  reissueActivationLink,
  SetupError,
  type SetupResult,
  setupStructure,
} from "./domains/structures/Setup";

const usage = [
  "Usage : npm run setup -- <fichier.json> (exemple : doc/setup.example.json)",
  "        npm run setup -- --nouveau-lien <adresse électronique> (nouveau lien d'activation, l'ancien ne marche plus)",
].join("\n");

interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** The owner connection (pg) or the locked data directory (PGlite) the command migrates and writes through. */
async function openOwner(
  config: ReturnType<typeof loadConfig>,
): Promise<{ db: DbHandle; appRole: string | null }> {
  if (config.DATABASE_URL) {
    const ownerUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
    const appRole = roleOfUrl(config.DATABASE_URL);
    const db = await createDb({ driver: "pg", url: ownerUrl, poolSize: 1 });
    return { db, appRole: appRole !== roleOfUrl(ownerUrl) ? appRole : null };
  }
  const release = lockDataDir(path.resolve(config.DATA_DIR));
  try {
    const dir = pgliteDirOf(config.DATA_DIR);
    mkdirSync(dir, { recursive: true });
    const db = await createDb({ driver: "pglite", dataDir: dir });
    return { db: { ...db, close: () => db.close().finally(release) }, appRole: null };
  } catch (error) {
    release();
    throw error;
  }
}

/** The address the activation links start with: PUBLIC_URL, required in production. */
function publicUrlOf(env: NodeJS.ProcessEnv, fallback: string, out: Output): string {
  const given = env.PUBLIC_URL;
  if (given) {
    if (!z.url().safeParse(given).success) throw new ConfigError(`PUBLIC_URL : adresse invalide (${given})`);
    return given.replace(/\/$/, "");
  }
  if (env.NODE_ENV === "production")
    throw new ConfigError(
      "PUBLIC_URL : obligatoire avec NODE_ENV=production (les liens d'activation la contiennent)",
    );
  out.error(`Attention : PUBLIC_URL n'est pas définie, les liens commencent par ${fallback}.`);
  return fallback;
}

/** Runs the command; returns the exit code (0 done, 1 refused: nothing written). */
export async function runSetupCommand(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: Output = { log: (l) => console.log(l), error: (l) => console.error(l) },
  clock: Clock = systemClock,
): Promise<number> {
  try {
    if (argv[0] === "--nouveau-lien") {
      const [, address] = argv;
      if (!address || argv.length > 2 || !z.email().safeParse(address.trim()).success)
        throw new SetupError([usage]);
      return await withOwnerDb(env, out, (db, publicUrl) =>
        reissueActivationLink(db, address, { publicUrl, clock }).then((r) => {
          out.log(`Nouveau lien d'activation pour ${r.displayName} <${r.email}> :`);
          out.log(`  ${r.activationLink}`);
          out.log(
            `  Valable ${ACTIVATION_HOURS} heures, une seule fois ; le lien précédent ne fonctionne plus.`,
          );
          out.log("Transmettez-le à son titulaire par un canal sûr. Aucun courriel n'a été envoyé.");
        }),
      );
    }
    const [file] = argv;
    if (!file || argv.length > 1 || file.startsWith("--")) throw new SetupError([usage]);
    let text: string;
    try {
      text = readFileSync(commandFile(file, env), "utf8");
    } catch (error) {
      throw new SetupError([
        `Impossible de lire ${file} : ${(error as NodeJS.ErrnoException).code ?? error}`,
      ]);
    }
    // Checked before touching the database: a wrong file changes nothing, not even the schema.
    const description = parseSetupFile(text);
    return await withOwnerDb(env, out, async (db, publicUrl, where) => {
      const result = await setupStructure(db, description, { publicUrl, clock });
      printResult(result, description.structure.nom, where, out);
    });
  } catch (error) {
    return failed(error, out);
  }
}

/**
 * Opens the configuration's database as its owner, migrates it as a starting server would, runs
 * `work` under the migrations' advisory lock, closes it; 0 when done, 1 on a refusal.
 */
async function withOwnerDb(
  env: NodeJS.ProcessEnv,
  out: Output,
  work: (db: Db, publicUrl: string, where: string) => Promise<void>,
): Promise<number> {
  try {
    // Only the database settings and PUBLIC_URL matter here: the server's other requirements (SMTP...) do not.
    const config = loadConfig({ ...env, NODE_ENV: "development", PUBLIC_URL: undefined });
    const publicUrl = publicUrlOf(env, config.PUBLIC_URL, out);
    // The folder in full: a relative DATA_DIR is read from where the command runs, which the operator should see.
    const where = config.DATABASE_URL ? "PostgreSQL" : `PGlite (${path.resolve(config.DATA_DIR)})`;
    let opened: Awaited<ReturnType<typeof openOwner>>;
    try {
      opened = await openOwner(config);
    } catch (error) {
      throw config.DATABASE_URL
        ? unreachable(
            error,
            config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL,
            config.MIGRATION_DATABASE_URL ? "MIGRATION_DATABASE_URL" : "DATABASE_URL",
          )
        : error;
    }
    const { db, appRole } = opened;
    try {
      // Under the migrations' advisory lock, as a starting server: migrations, grants, then ours.
      const done = await db.migrate(async (locked) => {
        await afterMigrations(locked, { appRole, demoAsOf: null, warn: out.error });
        await work(locked, publicUrl, where);
        return true;
      });
      if (!done) throw new Error("setup did not run");
      return 0;
    } finally {
      await db.close();
    }
  } catch (error) {
    return failed(error, out);
  }
}

/** A refusal (known error) in French, anything else with its stack; always exit code 1. */
function failed(error: unknown, out: Output): number {
  const known =
    error instanceof SetupError ||
    error instanceof ConfigError ||
    error instanceof DataDirError ||
    error instanceof DatabaseUnreachableError;
  out.error(known ? (error as Error).message : String((error as Error)?.stack ?? error));
  return 1;
}

function printResult(result: SetupResult, name: string, where: string, out: Output): void {
  out.log(`Structure « ${name} » créée dans ${where}.`);
  out.log(`  Lieux : ${result.sites.map((s) => s.name).join(", ")}`);
  out.log(
    result.catalogue.partnersAdded + result.catalogue.demarcheTypesAdded > 0
      ? `  Catalogue national : ${result.catalogue.partnersAdded} partenaire(s) et ${result.catalogue.demarcheTypesAdded} démarche(s) ajoutés.`
      : "  Catalogue national : déjà présent, inchangé.",
  );
  out.log("");
  for (const a of result.accounts) {
    const roles = a.roles.map((r) => roleLabels[r]).join(", ");
    out.log(`${roles} : ${a.displayName} <${a.email}>`);
    out.log(
      a.activationLink
        ? `  Lien d'activation (valable ${ACTIVATION_HOURS} heures, une seule fois) : ${a.activationLink}`
        : "  Compte déjà activé : il se connecte avec son mot de passe habituel.",
    );
  }
  out.log("");
  out.log(
    "Transmettez chaque lien à son titulaire par un canal sûr : il y choisit son mot de passe, puis " +
      "configure la double authentification à la première connexion. Aucun courriel n'a été envoyé.",
  );
}

const isEntryPoint = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  runSetupCommand(process.argv.slice(2)).then((code) => process.exit(code));
}
