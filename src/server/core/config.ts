import { isIP } from "node:net";
import { z } from "zod";

/** An address, a CIDR range, or a name proxy-addr knows (loopback, linklocal, uniquelocal). */
function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address = "", bits, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Public URL of the app; https enables Secure cookies with the __Host- prefix and HSTS. */
  PUBLIC_URL: z.url().optional(),
  /** PostgreSQL URL; when unset, the embedded PGlite database under DATA_DIR is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "doit commencer par postgres:// (PostgreSQL)")
    .optional(),
  /**
   * Owner role's URL, for migrations and the demo seed; DATABASE_URL is then a least-privilege role
   * the owner grants rows to (ADR 0008). Unset: DATABASE_URL does both.
   */
  MIGRATION_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "doit commencer par postgres:// (PostgreSQL)")
    .optional(),
  /** PostgreSQL: a statement (or a lock wait) running longer is cancelled and answered 503. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** PostgreSQL: waiting longer for a connection (pool full, server unreachable) answers 503. */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** A request not answered within this time gets a 503 with its request id. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** File exports (report PDF, CSV/XLSX): their statements and the request may run this long. */
  EXPORT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  /**
   * SIGTERM/SIGINT: requests in flight and the message or job in progress get this long to finish;
   * past it (or at a second signal) the process exits at once, with status 1.
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(25_000),
  DATA_DIR: z.string().min(1).default("./data"),
  /** Load the demo data set when the database is empty (default: yes with PGlite, no with PostgreSQL). */
  DEMO_DATA: z.enum(["auto", "yes", "no"]).default("auto"),
  /**
   * Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs); unset:
   * none, the client's address is the TCP peer's. Used by throttling, sessions and the journal.
   */
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ""),
    )
    .refine(
      (entries) => entries.every(isProxyAddress),
      "adresses IP ou plages CIDR séparées par des virgules",
    ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  /** SMTP server for emails (smtp://user:pass@host:port); required in production; unset: emails are only logged. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "doit commencer par smtp:// ou smtps://")
    .optional(),
  MAIL_FROM: z.string().min(3).default("France services <ne-pas-repondre@passerelle.localhost>"),
  /** SMS provider: `log` (development: the SMS is only logged) or `brevo` (Brevo transactional SMS API). */
  SMS_PROVIDER: z.enum(["log", "brevo"]).default("log"),
  BREVO_API_KEY: z.string().min(1).optional(),
  BREVO_API_URL: z.url().default("https://api.brevo.com/v3"),
  /** Alphanumeric sender name shown on the phone (11 characters at most). */
  SMS_SENDER: z
    .string()
    .regex(/^[A-Za-z0-9]{1,11}$/, "11 lettres ou chiffres au plus")
    .default("FRServices"),
  /** Secret part of the delivery-receipt address given to the SMS provider; unset: receipts refused. */
  SMS_WEBHOOK_TOKEN: z.string().min(16, "16 caractères au moins").optional(),
  /** How often the notification worker looks for due messages; 0 turns the worker off. */
  OUTBOX_POLL_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  /** How often the server looks for due scheduled jobs (expiring orientations...); 0 turns them off. */
  JOBS_POLL_SECONDS: z.coerce.number().min(0).max(3600).default(15),
});

export type Config = z.infer<typeof configSchema> & { PUBLIC_URL: string };

export class ConfigError extends Error {}

/** Parses the environment; a wrong value names the variable (message in French and English). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema
    .refine((c) => c.SMS_PROVIDER !== "brevo" || c.BREVO_API_KEY, {
      path: ["BREVO_API_KEY"],
      message: "obligatoire avec SMS_PROVIDER=brevo",
    })
    // A public https address is a real deployment, whatever NODE_ENV says.
    .refine((c) => (c.NODE_ENV !== "production" && !c.PUBLIC_URL?.startsWith("https:")) || c.SMTP_URL, {
      path: ["SMTP_URL"],
      message:
        "obligatoire avec NODE_ENV=production ou une PUBLIC_URL en https (sans lui, les courriels, liens d'activation compris, ne partiraient pas et seraient écrits dans le journal du serveur)",
    })
    .refine((c) => !c.MIGRATION_DATABASE_URL || c.DATABASE_URL, {
      path: ["DATABASE_URL"],
      message: "obligatoire avec MIGRATION_DATABASE_URL",
    })
    .safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  - ${issue.path.join(".")}: ${issue.message} (valeur invalide / invalid value)`,
    );
    throw new ConfigError(`Configuration invalide / invalid configuration:\n${lines.join("\n")}`);
  }
  return { ...result.data, PUBLIC_URL: result.data.PUBLIC_URL ?? `http://localhost:${result.data.PORT}` };
}
