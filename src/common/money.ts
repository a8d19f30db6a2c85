const euros = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

/** « 40 000 € »: whole euros with the French grouping (fundings, ADR 0039). */
export function formatEuros(amount: number): string {
  return `${euros.format(amount)} €`;
}

/**
 * What an amount field holds, as a body wants it: "40 000", "40 000 €" or "40000" read as 40000;
 * undefined when empty ("Saisissez le montant"), NaN when it is not a number.
 */
export function typedEuros(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
  return compact === "" ? undefined : Number(compact);
}
