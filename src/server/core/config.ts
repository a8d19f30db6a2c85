import { isIP } from "node:net";
import { z } from "zod";
import { parseDocumentKeys } from "./fileStore";

/** An address, a CIDR range, or a name proxy-addr knows (loopback, linklocal, uniquelocal). */
function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address = "", bits, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/** The sender when MAIL_FROM is unset: fine on a laptop, refused by many relays (a `.localhost` domain). */
export const DEFAULT_MAIL_FROM = "France services <ne-pas-repondre@passerelle.localhost>";

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
  /**
   * PostgreSQL: waiting longer for a lock (a table held by another session) answers 503; capped by
   * the statement timeout. Shorter than the wait for a connection, so that requests stuck behind a
   * lock give their pooled connections back before the instance's other requests give up.
   */
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3_000),
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
  MAIL_FROM: z.string().min(3).default(DEFAULT_MAIL_FROM),
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
  /** Messages the worker sends at once, each e-mail over its own kept SMTP connection (ADR 0032). */
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  /**
   * Envelope sender of newsletters and invitations (`bounces@example.fr`): each leaves from
   * `bounces+<token>@example.fr` so an asynchronous bounce names its message (ADR 0032). Unset: they leave from MAIL_FROM.
   */
  BOUNCE_ADDRESS: z.email("adresse électronique attendue").optional(),
  /** Port of the inbound SMTP listener for delivery status notifications; unset: no listener. */
  BOUNCE_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Interface of that listener (default: HOST). */
  BOUNCE_SMTP_HOST: z.string().min(1).optional(),
  /**
   * Seconds without a heartbeat after which an instance is judged dead and its claims end before
   * their lease (ADR 0004, addendum 2026-12-05). Default 30 (`rules.ts#INSTANCE_GRACE_MS`); a
   * shorter one is for tests: a live instance paused for longer would lose its claims early.
   */
  INSTANCE_GRACE_SECONDS: z.coerce.number().int().min(3).max(600).optional(),
  /** How often the server looks for due scheduled jobs (expiring orientations...); 0 turns them off. */
  JOBS_POLL_SECONDS: z.coerce.number().min(0).max(3600).default(15),
  /** ProConnect (ADR 0023): all of issuer, client id and secret, or none (local accounts only). */
  PROCONNECT_ISSUER: z.url().optional(),
  PROCONNECT_CLIENT_ID: z.string().min(1).optional(),
  PROCONNECT_CLIENT_SECRET: z.string().min(1).optional(),
  /** Default: PUBLIC_URL + /api/auth/proconnect/callback (to register at ProConnect). */
  PROCONNECT_REDIRECT_URI: z.url().optional(),
  /** Default: PUBLIC_URL + /connexion (to register at ProConnect). */
  PROCONNECT_POST_LOGOUT_REDIRECT_URI: z.url().optional(),
  /** Asked level of assurance, space-separated (`eidas1`, or ProConnect's 2FA values). */
  PROCONNECT_ACR_VALUES: z.string().min(1).default("eidas1"),
  /**
   * Keys of the encrypted file store (AES-256-GCM), `id:base64-of-32-bytes` separated by commas: the
   * first encrypts, every one decrypts (rotation: put the new key first, keep the old ones until the
   * rotation job has re-encrypted every file). Required in production; a fixed development key otherwise.
   */
  DOCUMENT_KEYS: z.string().min(1).optional(),
  /** Handover meetings (ADR 0029): the first milieu ouvert convocation is within this many days after release. */
  HANDOVER_FIRST_CONVOCATION_DAYS: z.coerce.number().int().min(1).max(90).default(15),
});

const proconnectKeys = [
  "PROCONNECT_ISSUER",
  "PROCONNECT_CLIENT_ID",
  "PROCONNECT_CLIENT_SECRET",
  "PROCONNECT_REDIRECT_URI",
  "PROCONNECT_POST_LOGOUT_REDIRECT_URI",
] as const;

/** Plain http is for a provider on this machine (tests, development), never in production. */
export function isLocalHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(hostname);
}

export type Config = z.infer<typeof configSchema> & { PUBLIC_URL: string };

/** An address of the app for an e-mail or a provider: PUBLIC_URL (with or without its final "/") and `path`. */
export function appLink(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/$/, "")}${path}`;
}

/** ProConnect as the server uses it; null when not configured. */
export interface ProConnectSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  acrValues: string;
}

export function proconnectSettings(config: Config): ProConnectSettings | null {
  const { PROCONNECT_ISSUER: issuer, PROCONNECT_CLIENT_ID: clientId } = config;
  const clientSecret = config.PROCONNECT_CLIENT_SECRET;
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri:
      config.PROCONNECT_REDIRECT_URI ?? appLink(config.PUBLIC_URL, "/api/auth/proconnect/callback"),
    postLogoutRedirectUri:
      config.PROCONNECT_POST_LOGOUT_REDIRECT_URI ?? appLink(config.PUBLIC_URL, "/connexion"),
    acrValues: config.PROCONNECT_ACR_VALUES,
  };
}

export class ConfigError extends Error {}

/**
 * Settings that let the server start but that an operator must know about, in French, written to
 * the log at every start. Not refusals: a server on an intranet that Brevo's receipts cannot reach
 * is a normal deployment, and no token would make them arrive (ADR 0004, addendum 2026-12-02).
 */
export function configWarnings(config: Config): string[] {
  const real = config.NODE_ENV === "production" || config.PUBLIC_URL.startsWith("https:");
  const warnings: string[] = [];
  if (real && config.SMS_PROVIDER === "brevo" && !config.SMS_WEBHOOK_TOKEN)
    warnings.push(
      "ATTENTION : SMS_PROVIDER=brevo sans SMS_WEBHOOK_TOKEN : les accusés de réception des SMS sont refusés. " +
        "Un SMS dont l'envoi est resté sans réponse (Brevo lent, serveur arrêté pendant l'envoi) n'est renvoyé " +
        "qu'après vérification dans le journal d'événements de Brevo ; si Brevo ne répond pas à cette vérification " +
        "pendant 45 minutes, il est renvoyé une fois et la personne peut le recevoir deux fois, et les SMS " +
        "ne passent jamais à « Reçu ». Définissez SMS_WEBHOOK_TOKEN (16 caractères au moins) si les serveurs " +
        "de Brevo peuvent joindre PUBLIC_URL (README, « Configuration »).",
    );
  if (real && config.MAIL_FROM === DEFAULT_MAIL_FROM)
    warnings.push(
      "ATTENTION : MAIL_FROM n'est pas défini : les courriels partent de ne-pas-repondre@passerelle.localhost, " +
        "une adresse que les relais et les messageries des destinataires peuvent refuser. Définissez MAIL_FROM, " +
        "par exemple « France services <ne-pas-repondre@votre-domaine.fr> » (README, « Configuration »).",
    );
  return warnings;
}

/**
 * Every cross-variable rule runs even when a single variable is already wrong, so that one start
 * lists every problem at once (zod skips refinements of an object with issues by default).
 */
const always = { when: () => true } as const;

/**
 * The environment as the schema reads it: an empty value (`SMTP_URL=` in an environment file, a
 * compose file or a systemd unit) is an unset variable, as a shell's `${SMTP_URL:-}` would be.
 */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => (entry[1] ?? "").trim() !== ""),
  );
}

/** Parses the environment; a wrong value names the variable (message in French and English). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const given = withoutEmptyValues(env);
  const result = configSchema
    .refine((c) => c.BOUNCE_SMTP_PORT === undefined || c.BOUNCE_ADDRESS, {
      ...always,
      path: ["BOUNCE_ADDRESS"],
      message: "obligatoire avec BOUNCE_SMTP_PORT (l'adresse dont les avis de non-remise sont acceptés)",
    })
    .refine((c) => c.SMS_PROVIDER !== "brevo" || c.BREVO_API_KEY, {
      ...always,
      path: ["BREVO_API_KEY"],
      message: "obligatoire avec SMS_PROVIDER=brevo",
    })
    // A public https address is a real deployment, whatever NODE_ENV says.
    .refine((c) => (c.NODE_ENV !== "production" && !c.PUBLIC_URL?.startsWith("https:")) || c.SMTP_URL, {
      ...always,
      path: ["SMTP_URL"],
      message:
        "obligatoire avec NODE_ENV=production ou une PUBLIC_URL en https (sans lui, les courriels, liens d'activation compris, ne partiraient pas et seraient écrits dans le journal du serveur)",
    })
    .superRefine((c, ctx) => {
      if (!proconnectKeys.some((key) => c[key])) return;
      for (const key of ["PROCONNECT_ISSUER", "PROCONNECT_CLIENT_ID", "PROCONNECT_CLIENT_SECRET"] as const) {
        if (!c[key]) ctx.addIssue({ code: "custom", path: [key], message: "obligatoire pour ProConnect" });
      }
      const issuer = c.PROCONNECT_ISSUER;
      if (issuer && !issuer.startsWith("https:") && (c.NODE_ENV === "production" || !isLocalHttp(issuer)))
        ctx.addIssue({
          code: "custom",
          path: ["PROCONNECT_ISSUER"],
          message: "doit commencer par https:// (http:// seulement pour un fournisseur local de test)",
        });
    }, always)
    // The links sent to people and agents (activation, stop SMS, calendar) start with it: never localhost.
    .refine((c) => c.NODE_ENV !== "production" || c.PUBLIC_URL, {
      ...always,
      path: ["PUBLIC_URL"],
      message:
        "obligatoire avec NODE_ENV=production : l'adresse par laquelle les agents joignent Passerelle (https://…), dont partent les liens des courriels et des SMS",
    })
    .refine((c) => c.NODE_ENV !== "production" || c.DOCUMENT_KEYS, {
      ...always,
      path: ["DOCUMENT_KEYS"],
      message: "obligatoire avec NODE_ENV=production (clé de chiffrement des documents, jamais en base)",
    })
    .superRefine((c, ctx) => {
      if (!c.DOCUMENT_KEYS) return;
      try {
        parseDocumentKeys(c.DOCUMENT_KEYS);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["DOCUMENT_KEYS"], message: (error as Error).message });
      }
    }, always)
    .refine((c) => !c.MIGRATION_DATABASE_URL || c.DATABASE_URL, {
      ...always,
      path: ["DATABASE_URL"],
      message: "obligatoire avec MIGRATION_DATABASE_URL",
    })
    .safeParse(given);
  if (!result.success) {
    // One line per variable (its first problem); a variable not set says so.
    const seen = new Set<string>();
    const lines = result.error.issues.flatMap((issue) => {
      const name = issue.path.join(".");
      if (seen.has(name)) return [];
      seen.add(name);
      const state = name in given ? "valeur invalide / invalid value" : "absente / missing";
      return [`  - ${name}: ${issue.message} (${state})`];
    });
    throw new ConfigError(`Configuration invalide / invalid configuration:\n${lines.join("\n")}`);
  }
  return { ...result.data, PUBLIC_URL: result.data.PUBLIC_URL ?? `http://localhost:${result.data.PORT}` };
}
