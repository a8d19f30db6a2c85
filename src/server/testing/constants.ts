/** The day the test template's demo data is anchored on (measure dates are relative to it). */
export const TEST_TODAY = "2026-06-01";

export function templateDatabaseName(url: string): string {
  const base = new URL(url).pathname.slice(1) || "test";
  return `${base}_passerelle_template`;
}
