import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { roleLabels } from "../common/roles";
import { type Clock, systemClock } from "./core/clock";
import { type Config, ConfigError, configWarnings, loadConfig, proconnectSettings } from "./core/config";
import type { Deps } from "./core/deps";
import { newLiveness, type RunningLiveness, startLiveness } from "./core/liveness";
import { createReadiness, type LoopName } from "./core/readiness";
import { type RunningScheduler, startScheduler } from "./core/scheduler";
import { pgliteDirOf } from "./db/backup";
import { createDb, type DbHandle } from "./db/createDb";
import { DataDirError, lockDataDir } from "./db/dataDirLock";
import { afterMigrations, roleOfUrl } from "./db/prepare";
import { DEMO_PASSWORD, type DemoAccount, enabledDemoAccounts } from "./db/seed/demo";
import { DatabaseUnreachableError, unreachable } from "./db/unreachable";
import { proconnectClient } from "./domains/identity/proconnect/client";
import { type BounceListener, startBounceListener } from "./domains/notifications/bounces/listener";
import {
  brevoSmsSender,
  type EmailSender,
  logEmailSender,
  logSmsSender,
  type SmsSender,
  smtpEmailSender,
  unsentSmsSender,
} from "./domains/notifications/providers";
import { INSTANCE_GRACE_MS } from "./domains/notifications/rules";
import { type RunningWorker, startWorker } from "./domains/notifications/worker";
import { createFigureCache } from "./domains/reporting/figureCache";
import { buildApp } from "./http/app";
import { scheduledJobs } from "./jobs";
import { closeOnSignals } from "./shutdown";

export { DatabaseUnreachableError, unreachable };

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningServer {
  app: FastifyInstance;
  db: DbHandle;
  url: string;
  close(): Promise<void>;
}

/**
 * The line an operator reads at start (and the tests wait for). Behind a proxy, or a second instance
 * on its own port, it also says where this instance listens: the public address alone hid it.
 */
export function readyLine(publicUrl: string, address: string, base: string): string {
  const port = (url: string) => new URL(url).port || (url.startsWith("https:") ? "443" : "80");
  const listening = port(publicUrl) === port(address) ? "" : `, écoute sur ${address}`;
  return `Passerelle est prête sur ${publicUrl} (base ${base}${listening})`;
}

/** Composition root: configuration, database (migrated, demo data on first run), HTTP. */
export async function startServer(
  env: NodeJS.ProcessEnv = process.env,
  /** Browser tests move time forward (a visit once its appointment started); nothing else does. */
  clock: Clock = systemClock,
): Promise<RunningServer> {
  const config = loadConfig(env);
  const { db, demoAccounts } = await openDatabase(config, clock.now());
  try {
    await checkServerDatabase(db, config);
  } catch (error) {
    await db.close();
    throw error;
  }

  const deps: Deps = { db: db.db, clock, config, figureCache: createFigureCache() };
  const proconnect = proconnectSettings(config);
  const readiness = createReadiness(db.db, ["worker", "scheduler"] satisfies LoopName[]);
  const app = await buildApp({
    deps,
    publicUrl: config.PUBLIC_URL,
    webDir: path.join(projectRoot, "dist/web"),
    logger: { level: config.LOG_LEVEL },
    trustProxy: config.TRUST_PROXY,
    timeouts: { requestMs: config.REQUEST_TIMEOUT_MS, exportMs: config.EXPORT_TIMEOUT_MS },
    proconnect: proconnect ? proconnectClient(proconnect) : null,
    readiness,
  });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const log = (line: string) => app.log.warn(line);
  for (const warning of configWarnings(config)) log(warning);
  // This process's id and heartbeat, beaten once before anything is claimed under it (ADR 0004,
  // addendum 2026-12-05).
  const liveness = newLiveness(
    config.INSTANCE_GRACE_SECONDS ? config.INSTANCE_GRACE_SECONDS * 1000 : INSTANCE_GRACE_MS,
  );
  let heartbeat: RunningLiveness;
  try {
    heartbeat = await startLiveness(db.db, liveness, log);
  } catch (error) {
    await app.close();
    await db.close();
    throw error;
  }
  // Without SMTP (refused with NODE_ENV=production), e-mails are printed for the developer, on the
  // standard error and not through the app's redacted log, so a local activation link can be opened.
  const email: EmailSender = config.SMTP_URL
    ? smtpEmailSender(config.SMTP_URL, config.MAIL_FROM, {
        connections: config.OUTBOX_CONCURRENCY,
        bounceAddress: config.BOUNCE_ADDRESS ?? null,
      })
    : logEmailSender((line) => process.stderr.write(`${line}\n`));
  const sms: SmsSender =
    config.SMS_PROVIDER === "brevo" && config.BREVO_API_KEY
      ? brevoSmsSender({
          apiUrl: config.BREVO_API_URL,
          apiKey: config.BREVO_API_KEY,
          sender: config.SMS_SENDER,
        })
      : config.NODE_ENV === "production"
        ? unsentSmsSender(log)
        : logSmsSender(log);
  const worker: RunningWorker | null =
    config.OUTBOX_POLL_SECONDS > 0
      ? startWorker(
          {
            db: db.db,
            clock,
            email,
            sms,
            publicUrl: config.PUBLIC_URL,
            smsWebhookToken: config.SMS_WEBHOOK_TOKEN ?? null,
            log,
            concurrency: config.OUTBOX_CONCURRENCY,
            // PGlite is locked to this process: claims left in it are a dead predecessor's.
            soleInstanceSince: db.driver === "pglite" ? clock.now() : undefined,
            // Elsewhere (PostgreSQL, maybe several instances) a dead instance is known by its heartbeat.
            liveness,
          },
          config.OUTBOX_POLL_SECONDS,
        )
      : null;
  // Time-based changes (orientations expiring...) happen here, never when someone reads a file.
  const scheduler: RunningScheduler | null =
    config.JOBS_POLL_SECONDS > 0
      ? startScheduler({ db: db.db, clock, log, liveness }, scheduledJobs, config.JOBS_POLL_SECONDS)
      : null;
  // Delivery status notifications forwarded by the bounce domain's mail exchanger (ADR 0032).
  const bounces: BounceListener | null =
    config.BOUNCE_SMTP_PORT && config.BOUNCE_ADDRESS
      ? await startBounceListener(
          { db: db.db, clock, bounceAddress: config.BOUNCE_ADDRESS, log },
          { port: config.BOUNCE_SMTP_PORT, host: config.BOUNCE_SMTP_HOST ?? config.HOST },
        )
      : null;
  readiness.attach("worker", worker);
  readiness.attach("scheduler", scheduler);
  const url = config.PORT === 0 ? address : config.PUBLIC_URL;
  if (demoAccounts.length > 0) printDemoAccounts(demoAccounts);
  console.log(readyLine(url, address, db.driver === "pg" ? "PostgreSQL" : `PGlite, ${config.DATA_DIR}`));
  return {
    app,
    db,
    url: address,
    // Not ready any more; no new connection, requests in flight answered while the loops finish
    // the message or job in progress and hand back what they claimed; then the database closes.
    close: async () => {
      readiness.stopping();
      await Promise.all([app.close(), worker?.stop(), scheduler?.stop(), bounces?.close()]);
      // Nothing is claimed under this id any more: its row goes, nothing of it is left to judge.
      await heartbeat.stop();
      email.close();
      await db.close();
    },
  };
}

/**
 * Migrations, grants and the first-run demo seed run under an advisory lock on one connection of
 * the owner role (MIGRATION_DATABASE_URL, else DATABASE_URL), with no statement timeout; the server
 * then works through its own pool (DATABASE_URL), every statement and lock wait bounded.
 */
async function openDatabase(
  config: Config,
  now: Date,
): Promise<{ db: DbHandle; demoAccounts: DemoAccount[] }> {
  // Never, unless asked, in production: the demo accounts share a published password.
  const loadDemo =
    config.DEMO_DATA === "yes" ||
    (config.DEMO_DATA === "auto" && !config.DATABASE_URL && config.NODE_ENV !== "production");
  if (!config.DATABASE_URL) {
    const db = await openEmbedded(config.DATA_DIR);
    const demoAccounts = await db.migrate((locked) =>
      afterMigrations(locked, { appRole: null, demoAsOf: loadDemo ? now : null }),
    );
    return { db, demoAccounts: demoAccounts ?? [] };
  }
  const ownerUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
  const appRole = roleOfUrl(config.DATABASE_URL);
  const owner = await createDb({ driver: "pg", url: ownerUrl, poolSize: 1 });
  let demoAccounts: DemoAccount[] | undefined;
  try {
    demoAccounts = await owner.migrate((locked) =>
      afterMigrations(locked, {
        appRole: appRole !== roleOfUrl(ownerUrl) ? appRole : null,
        demoAsOf: loadDemo ? now : null,
        warn: (message) => console.warn(message),
      }),
    );
  } catch (error) {
    throw unreachable(
      error,
      ownerUrl,
      config.MIGRATION_DATABASE_URL ? "MIGRATION_DATABASE_URL" : "DATABASE_URL",
    );
  } finally {
    await owner.close();
  }
  const db = await createDb({
    driver: "pg",
    url: config.DATABASE_URL,
    timeouts: {
      statementMs: config.DB_STATEMENT_TIMEOUT_MS,
      lockMs: Math.min(config.DB_LOCK_TIMEOUT_MS, config.DB_STATEMENT_TIMEOUT_MS),
      idleInTransactionMs: config.EXPORT_TIMEOUT_MS,
      connectMs: config.DB_CONNECT_TIMEOUT_MS,
    },
  });
  return { db, demoAccounts: demoAccounts ?? [] };
}

/**
 * Before listening: the server's own connection works (a wrong DATABASE_URL beside a right
 * MIGRATION_DATABASE_URL would otherwise start a server answering 503 to everything), and a
 * production server does not serve the demo accounts, whose password is published in the README
 * (a demo data directory or database reused for production), unless DEMO_DATA=yes says it is a
 * demonstration instance.
 */
async function checkServerDatabase(db: DbHandle, config: Config): Promise<void> {
  let demo: string[];
  try {
    demo = await enabledDemoAccounts(db.db);
  } catch (error) {
    throw config.DATABASE_URL ? unreachable(error, config.DATABASE_URL, "DATABASE_URL") : error;
  }
  if (config.NODE_ENV !== "production" || config.DEMO_DATA === "yes" || demo.length === 0) return;
  throw new ConfigError(
    `Refus de démarrer avec NODE_ENV=production : la base contient les comptes de démonstration (${demo.join(", ")}…), ` +
      "dont le mot de passe est publié. Démarrez sur une base sans données de démonstration (puis npm run setup), " +
      "ou indiquez DEMO_DATA=yes pour une instance de démonstration. / Refusing to start in production on a " +
      "database holding the demo accounts (published password); use a fresh database, or DEMO_DATA=yes for a demo instance.",
  );
}

/** The embedded database, locked for this process (no backup or second server on it meanwhile). */
async function openEmbedded(dataDir: string): Promise<DbHandle> {
  const release = lockDataDir(path.resolve(dataDir));
  const dir = pgliteDirOf(dataDir);
  mkdirSync(dir, { recursive: true });
  try {
    const db = await createDb({ driver: "pglite", dataDir: dir });
    return { ...db, close: () => db.close().finally(release) };
  } catch (error) {
    release();
    throw error;
  }
}

function printDemoAccounts(accounts: DemoAccount[]): void {
  console.log("\nDonnées de démonstration chargées. Comptes (mot de passe commun : %s) :", DEMO_PASSWORD);
  for (const account of accounts) {
    const where = account.structureName ? ` — ${account.structureName}` : "";
    console.log(
      `  ${account.email.padEnd(39)} ${account.roles.map((r) => roleLabels[r]).join(", ")}${where}`,
    );
  }
  console.log(
    "  (direction et administrateur : la double authentification sera demandée à la première connexion)\n",
  );
}

const isEntryPoint = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  startServer().then(
    (server) => {
      closeOnSignals(server, {
        timeoutMs: loadConfig().SHUTDOWN_TIMEOUT_MS,
        log: (line) => server.app.log.info(line),
      });
    },
    (error: unknown) => {
      console.error(
        error instanceof ConfigError ||
          error instanceof DataDirError ||
          error instanceof DatabaseUnreachableError
          ? error.message
          : error,
      );
      process.exit(1);
    },
  );
}
