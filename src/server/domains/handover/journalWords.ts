import { inArray } from "drizzle-orm";
import { formatDateTime } from "../../../common/dateFormat";
import type { Db } from "../../db/createDb";
import { structure } from "../../db/schema";

/**
 * How the journal names a handover meeting or a transfer: by its date or its structures, never by
 * an id the direction cannot use (the row's person is named by the journal page itself).
 */
export const meetingWords = (startsAt: Date | string): string => `réunion du ${formatDateTime(startsAt)}`;

export const transferWords = (fromName: string, toName: string): string =>
  `transfert de ${fromName} vers ${toName}`;

/** The names of these structures, by id ("structure inconnue" for an id not found). */
export async function structureNames(db: Db, ids: string[]): Promise<(id: string) => string> {
  const rows = await db
    .select({ id: structure.id, name: structure.name })
    .from(structure)
    .where(inArray(structure.id, ids));
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return (id) => names.get(id) ?? "structure inconnue";
}

/** "transfert de SPIP 77 vers SPIP 91", the structures read from the database. */
export async function transferWordsOf(db: Db, fromId: string, toId: string): Promise<string> {
  const nameOf = await structureNames(db, [fromId, toId]);
  return transferWords(nameOf(fromId), nameOf(toId));
}
