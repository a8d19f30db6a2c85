/** Test helpers of the backup tests: counts per table, and changes to undo by a restore. */
import { sql } from "drizzle-orm";
import type { ServerDatabase } from "../testing/spawnedServer";
import { rowsOf } from "./createDb";

/** The number of rows of every table of the `public` schema, by name. */
export async function tableCounts(database: ServerDatabase): Promise<Record<string, number>> {
  const handle = await database.open();
  try {
    const tables = await rowsOf<{ name: string }>(
      handle.db,
      sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await rowsOf<{ n: number | string }>(
        handle.db,
        sql`select count(*) as n from ${sql.identifier(name)}`,
      );
      counts[name] = Number(row?.n ?? 0);
    }
    return counts;
  } finally {
    await handle.close();
  }
}

/** Deletes rows of two tables and adds one to a third, as a day of work (or a mistake) would. */
export async function changeSomething(database: ServerDatabase): Promise<void> {
  const handle = await database.open();
  try {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`delete from notification`);
      await tx.execute(sql`delete from session`);
      await tx.execute(
        sql`insert into scheduled_job (name, next_run_at) values ('test.after_backup', now())`,
      );
    });
  } finally {
    await handle.close();
  }
}
