const conjunction = new Intl.ListFormat("fr", { style: "long", type: "conjunction" });

/**
 * Names listed in a sentence the French way: « A », « A et B », « A, B et C ». One helper for every
 * list a sentence carries, on screen as in messages, instead of `join(", ")`.
 */
export function frenchList(items: readonly string[]): string {
  return conjunction.format(items);
}
