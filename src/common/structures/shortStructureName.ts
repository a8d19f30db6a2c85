/**
 * A structure's name without the "France services" that every structure's name starts with (kept
 * when what follows is no name of its own: "France services de la Meuse"): what
 * steering shows where several structures are compared (chart labels, legends, columns of the
 * PDF and the exports), on the web and on the server alike.
 */
export function shortStructureName(name: string): string {
  const rest = name.replace(/^France services\s+/i, "");
  // "France services de la Meuse" stays whole: "de la Meuse" alone reads as a fragment.
  return rest === name || !/^[\p{Lu}\d]/u.test(rest) ? name : rest;
}

/**
 * The short name of each of several structures, keyed by the full name; a structure whose short name
 * another one shares (or is another's full name) keeps its full name, so that no two read the same.
 */
export function shortStructureNames(names: readonly string[]): Map<string, string> {
  const distinct = [...new Set(names)];
  const short = distinct.map(shortStructureName);
  const taken = (candidate: string, i: number) =>
    distinct.some((name, j) => j !== i && (short[j] === candidate || name === candidate));
  return new Map(distinct.map((name, i) => [name, taken(short[i] ?? name, i) ? name : (short[i] ?? name)]));
}
