/**
 * Control characters (C0 except tab, line feed and carriage return; DEL; C1) have no place in any
 * text a person types: NUL makes PostgreSQL fail, the others hide text. Nor have the invisible
 * characters that make two texts look alike or reorder what is shown: zero-width space, word joiner
 * and invisible operators, the byte-order mark, the bidirectional marks (LRM, RLM, ALM), embeddings,
 * overrides and isolates (a site « Meaux » and « Mea\u200Bux » or « Mea\u200Eux » would be two), and
 * the other characters drawn as nothing: combining grapheme joiner, Mongolian vowel separator,
 * deprecated format controls (U+206A–206F), Hangul fillers, interlinear annotation marks; nor half of
 * a surrogate pair alone (not a character). Joiners between letters of other
 * scripts or inside emoji (U+200C, U+200D) and soft hyphens pasted from a word processor stay
 * allowed. Every mounted route checks its whole input here before its schema, so no route can forget
 * it.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this regex exists to find them.
const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const invisible =
  /[\u034F\u061C\u115F\u1160\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]/;
const invisibleEverywhere = new RegExp(invisible.source, "g");
/**
 * Half of a UTF-16 surrogate pair standing alone (a JSON "\ud800"): no character at all, it could
 * not be stored as sent (PostgreSQL would keep U+FFFD in its place), so it is refused too.
 */
const loneSurrogate = /\p{Surrogate}/u;
const forbidden = {
  test: (text: string) => control.test(text) || invisible.test(text) || loneSurrogate.test(text),
};

/**
 * `text` without the invisible characters above: for the cells of an imported file (a caseload
 * export), where they are left by the application that wrote it, not typed — refusing the row would
 * name a fault the user cannot see ("Mar\u200Btin" read as "Martin"), keeping them would store a
 * second "N° dossier" that looks like the first.
 */
export function withoutInvisibleCharacters(text: string): string {
  return text.replace(invisibleEverywhere, "");
}

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
