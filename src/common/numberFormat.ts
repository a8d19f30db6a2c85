/**
 * A number written the French way, as every figure of the app: thousands grouped with a narrow
 * no-break space (U+202F, what `Intl` writes for fr-FR), a decimal comma, one decimal at most —
 * « 1 300 », « 12,5 ». Isomorphic. A PDF (Helvetica has no U+202F) writes it with a no-break space
 * (`reportLayout.ts#pdfText`), an SMS with a plain one (`notifications/templates.ts`).
 */
const french = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

export function formatNumber(value: number): string {
  return french.format(value);
}
