/** The day the test template's demo data is anchored on (measure dates are relative to it). */
export const TEST_TODAY = "2026-06-01";

export function templateDatabaseName(url: string): string {
  const base = new URL(url).pathname.slice(1) || "test";
  return `${base}_passerelle_template`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The server's least-privilege connection to a test database: TEST_APP_DATABASE_URL's role when
 * set, else the role `passerelle_app` (created by the global setup) on TEST_DATABASE_URL's server.
 */
export function appDatabaseUrl(adminUrl: string, database: string): string {
  if (process.env.TEST_APP_DATABASE_URL) return withDatabase(process.env.TEST_APP_DATABASE_URL, database);
  const parsed = new URL(withDatabase(adminUrl, database));
  parsed.username = "passerelle_app";
  parsed.password = "";
  return parsed.toString();
}
