/**
 * French alphabetical order, shared by the server and the web: one collator instead of
 * `localeCompare(…, "fr")` written at each sort.
 */

/** Two texts in French order, as `a.localeCompare(b, "fr")`: accents and case break ties of equal letters. */
export const byFrench: (a: string, b: string) => number = new Intl.Collator("fr").compare;

/** Two texts in French order, accents and case aside (« BLANCHARD Éric » = « Blanchard Eric »). */
export const byFrenchLetters: (a: string, b: string) => number = new Intl.Collator("fr", {
  sensitivity: "base",
}).compare;
