/** The SQLSTATE of a database error, as both drivers report it (Drizzle may wrap it as `cause`). */
export function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 5) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  return errorCode((error as { cause?: unknown }).cause, depth + 1);
}

/** PostgreSQL's unique_violation (23505), as both drivers report it (Drizzle may wrap it as `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  return errorCode(error) === "23505";
}

/** The name of the constraint (or unique index) a unique violation (23505) broke, if it is one. */
export function violatedUniqueConstraint(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 5) return undefined;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === "23505") return typeof constraint === "string" ? constraint : undefined;
  return violatedUniqueConstraint((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * SQLSTATEs and socket codes that mean "the database cannot answer now" rather than "this request
 * is wrong": connection exceptions (class 08), admin or crash shutdown (57P01-57P03), statement
 * timeout or cancel (57014), lock timeout (55P03), idle-in-transaction timeout (25P03), a
 * serialization failure or a deadlock (40001, 40P01: the transaction was rolled back, a retry may
 * pass), insufficient resources (53000, disk full 53100, out of memory 53200, too many connections
 * 53300; not 53400, a configuration limit), system errors outside PostgreSQL (class 58: I/O), and
 * the network errors of the driver. Internal errors (XX000, corruption XX001/XX002) stay a 500:
 * retrying does not cure them.
 */
const UNAVAILABLE_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "57014",
  "55P03",
  "25P03",
  "40001",
  "40P01",
  "53000",
  "53100",
  "53200",
  "53300",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** SQLSTATE classes that are unavailable as a whole: connection exceptions, system errors. */
const UNAVAILABLE_CLASSES = ["08", "58"];

/** Messages node-postgres gives to errors without a code: a dropped socket, a pool checkout timeout. */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /client was closed and is not queryable/i,
  /client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  // query_timeout: the connection went silent (failover, network cut); it is destroyed (createDb).
  /query read timeout/i,
  /cannot use a pool after calling end/i,
  // 55000 is mostly a programming error, but this one is a database refusing connections for now.
  /is not currently accepting connections/i,
];

/** Whether an error (or its Drizzle-wrapped `cause`) means the database is unreachable or too slow: a 503. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === "string" &&
    (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CLASSES.includes(code.slice(0, 2)))
  )
    return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
    return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * An error as the log may show it: the class and code of each error of its `cause` chain, and
 * the message only when it is one of the driver's fixed connection messages. Never the message of
 * a query error: Drizzle's "Failed query: … params: …" carries the values written (a message's
 * text, a phone number), and PostgreSQL's own messages may quote a value.
 */
export function errorForLog(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth += 1) {
    const { name, code, message } = current as { name?: unknown; code?: unknown; message?: unknown };
    const safe =
      typeof message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))
        ? message.slice(0, 120)
        : "";
    parts.push(
      [
        typeof name === "string" ? name : "Error",
        typeof code === "string" || typeof code === "number" ? String(code) : "",
        safe,
      ]
        .filter(Boolean)
        .join(" "),
    );
    current = (current as { cause?: unknown }).cause;
  }
  if (parts.length === 0) return typeof error;
  return parts.join(" ← ");
}

/**
 * An error's message as a log line or a stored status may show it: a failed query's message holds
 * its parameters (a person's data) after "params:" — cut there.
 */
export function messageForLog(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return withoutParametersText(message);
}

/** `text` up to a failed query's "params:" (excluded), with a note that they were left out. */
export function withoutParametersText(text: string): string {
  return text.replace(/\n?\s*params:[\s\S]*$/, " (paramètres omis)");
}
