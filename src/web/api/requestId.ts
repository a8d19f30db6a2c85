/**
 * A random UUID (version 4) a form gives the record it creates, so that resending after an answer
 * lost with the connection does not create it twice. `crypto.randomUUID` exists only on https and
 * localhost; `getRandomValues` everywhere.
 */
export function newRecordId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A creation sent again after a lost answer, with other values than the first submission's (ADR
 * 0036): the first one was recorded. The form then takes a new id (a later submission is a new
 * record, deliberately) and reloads the list, where the first one now shows.
 */
export function isRetriedWithOtherValues(error: unknown): boolean {
  const code = (error as { body?: { code?: unknown } } | null)?.body?.code;
  return typeof code === "string" && code.endsWith(".retriedWithOtherValues");
}
