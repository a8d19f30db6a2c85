import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../createDb";
import { directoryEntry, readAlike } from "../schema";

/**
 * The demo directory entry of that name in the structure, created if missing: the demo seeds of
 * the directory, the collective actions and the newsletter name the same organisations (the CAF,
 * the SIAO) and must not list them twice (nor two names that read alike: the name index refuses it).
 */
export async function directoryEntryNamed(
  db: Db,
  values: typeof directoryEntry.$inferInsert,
): Promise<{ id: string; name: string }> {
  const [existing] = await db
    .select({ id: directoryEntry.id, name: directoryEntry.name })
    .from(directoryEntry)
    .where(
      and(
        eq(directoryEntry.structureId, values.structureId),
        eq(readAlike(directoryEntry.name), readAlike(sql`${values.name}::text`)),
      ),
    );
  if (existing) return existing;
  const [created] = await db
    .insert(directoryEntry)
    .values(values)
    .returning({ id: directoryEntry.id, name: directoryEntry.name });
  if (!created) throw new Error(`directory entry ${values.name} not created`);
  return created;
}
