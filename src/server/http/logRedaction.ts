/**
 * Secrets that travel in URLs never reach the logs: every log line of the app (request lines,
 * errors, messages) goes through `redactSecrets` on its way to the output, whatever printed it.
 */

export const REDACTED = "[redacted]";

/**
 * Paths whose last segment is a secret: the SMS receipt webhook and the personal stop-SMS link;
 * the activation and recovery links' fragments (`/activation#<token>`, `/nouveau-mot-de-passe#<token>`, printed by the development e-mail sender).
 */
const secretPathSegments = [
  /(\/+api\/+webhooks\/+sms\/+)[^/?#\s"\\]+/gi,
  /(\/+stop\/+)[^/?#\s"\\]+/gi,
  // A partner's answer link to a collective action's invitation (page and API).
  /(\/+invitation\/+)[^/?#\s"\\]+/gi,
  /(\/+api\/+public\/+invitations\/+)[^/?#\s"\\]+/gi,
  /(\/+activation#)[^/?#\s"\\]+/gi,
  /(\/+nouveau-mot-de-passe#)[^/?#\s"\\]+/gi,
];
/**
 * Variants of those paths a client can send (`/api/webhooks/%73ms/…`, `/stop%2F…`) are matched
 * once their percent-encoded letters, digits and slashes are decoded — harmless in a JSON line.
 */
const encodedPlainCharacter = /%(2[fF]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA])/g;
/**
 * Query-string values that are secrets, or a person's data (the people search, the duplicate check
 * before adding someone: names, birth date, phone), on any path: a request line at `info` names
 * nobody. Among the secrets, ProConnect's callback (`code`, `state`) and end-session
 * (`id_token_hint`) parameters (ADR 0023). The journal keeps what the agent searched for (ADR 0010).
 */
const secretQueryValues =
  /([?&](?:token|code|password|state|id_token_hint|search|q|lastName|firstName|birthDate|phone|email)=)[^&#\s"\\]*/gi;

export function redactSecrets(text: string): string {
  let redacted = text.replace(encodedPlainCharacter, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  for (const pattern of secretPathSegments) redacted = redacted.replace(pattern, `$1${REDACTED}`);
  return redacted.replace(secretQueryValues, `$1${REDACTED}`);
}

export interface LogStream {
  write(line: string): void;
}

/** The app's logger options: a level, and where lines go (standard output by default). */
export interface LogOptions {
  level: string;
  stream?: LogStream;
}

/** Pino (Fastify) logger options whose every line is redacted before it is written. */
export function redactedLogger(options: LogOptions): { level: string; stream: LogStream } {
  const target = options.stream ?? process.stdout;
  return { level: options.level, stream: { write: (line) => target.write(redactSecrets(line)) } };
}
