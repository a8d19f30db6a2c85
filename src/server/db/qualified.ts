import { type Column, getTableName, type SQL, sql } from "drizzle-orm";

/**
 * A column written `"table"."column"` wherever its fragment lands. In the fields of a one-table
 * select Drizzle writes columns without their table, so a correlated subquery selected there,
 * `(select … from measure where measure.person_id = ${person.id})`, would compare with the
 * subquery's own `id`. Correlated fragments name their columns through this.
 */
export function qualified(column: Column): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
