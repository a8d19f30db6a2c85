/**
 * Control characters (C0 except tab, line feed and carriage return; DEL; C1) have no place in any
 * text a person types: NUL makes PostgreSQL fail, the others hide text. Nor have the invisible
 * characters that make two texts look alike or reorder what is shown: zero-width space, word joiner
 * and invisible operators, the byte-order mark, and the bidirectional embeddings, overrides and
 * isolates (a site « Meaux » and « Mea\u200Bux » would be two). Joiners between letters of other
 * scripts or inside emoji (U+200C, U+200D) and soft hyphens pasted from a word processor stay
 * allowed. Every mounted route checks its whole input here before its schema, so no route can forget
 * it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this regex exists to find them.
const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const invisible = /[\u200B\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const forbidden = { test: (text: string) => control.test(text) || invisible.test(text) };

export const CONTROL_CHARACTER_MESSAGE = "Caractère de contrôle ou invisible interdit.";

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

/** No input of the API nests deeper than a few levels; far deeper is refused before it is walked. */
export const MAX_INPUT_DEPTH = 32;
export const TOO_DEEP_MESSAGE = `Données trop imbriquées (${MAX_INPUT_DEPTH} niveaux au plus).`;

/** Whether `value` nests arrays or objects deeper than `max` (walked without recursion). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== "object") continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
