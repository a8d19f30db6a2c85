import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

/**
 * A timestamp as the API gives it: the string of JavaScript's `toISOString()` (UTC, milliseconds
 * truncated as node-postgres truncates them when it makes a `Date`), for JSON built by SQL.
 */
export function isoTime(column: SQL): SQL {
  return sql`to_char((${column}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const dialect = new PgDialect();

/**
 * A fragment without parameters (columns, joins, correlations on `p.id`), compiled to its text once
 * at load: a request then pays nothing to build it (issue 12, the person file under load). A fragment
 * that binds a value cannot be compiled once: it throws at load, never at a request.
 */
export function compiledOnce(fragment: SQL): SQL {
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  if (params.length > 0)
    throw new Error(`compiledOnce: ${params.length} parameter(s) in ${text.slice(0, 80)}`);
  return sql.raw(text);
}
