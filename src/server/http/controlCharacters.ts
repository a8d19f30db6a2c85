/**
 * Control characters (C0 except tab, line feed and carriage return; DEL; C1) have no place in any
 * text a person types: NUL makes PostgreSQL fail, the others hide text. Every mounted route checks
 * its whole input here before its schema, so no route can forget it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this regex exists to find them.
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export const CONTROL_CHARACTER_MESSAGE = "Caractère de contrôle interdit.";

/** Paths ("body.firstName", "query.search", "body.items.0") of every string holding one. */
export function controlCharacterPaths(value: unknown, path: string): string[] {
  if (typeof value === "string") return forbidden.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => controlCharacterPaths(item, `${path}.${i}`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(forbidden.test(key) ? [`${path}.${key}`] : []),
      ...controlCharacterPaths(item, `${path}.${key}`),
    ]);
  }
  return [];
}
