import { inArray } from "drizzle-orm";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { person } from "../../db/schema";

/** Ids named in one row; a longer list is cut and counted (the filter says how it was selected). */
const MAX_IDS_PER_ROW = 50;

export interface NominativeRead {
  /** The route read, e.g. "GET /api/people/:personId/consents". */
  route: string;
  /** The filter that selected the people (query string), "" when none. */
  filter: string;
  personIds: readonly string[];
}

/**
 * The journal row of a read of people's data that its use case did not journal itself: one row
 * per structure whose people it returned, naming them (or the filter, when it returned many).
 */
export async function journalNominativeRead(
  deps: Deps,
  ctx: RequestContext,
  read: NominativeRead,
): Promise<void> {
  const ids = [...new Set(read.personIds)];
  const owners =
    ids.length === 0
      ? []
      : await deps.db
          .select({ id: person.id, structureId: person.structureId })
          .from(person)
          .where(inArray(person.id, ids));
  const byStructure = new Map<string | null, string[]>();
  for (const id of ids) {
    const structureId = owners.find((owner) => owner.id === id)?.structureId ?? null;
    byStructure.set(structureId, [...(byStructure.get(structureId) ?? []), id]);
  }
  if (byStructure.size === 0) byStructure.set(null, []);
  for (const [structureId, named] of byStructure) {
    const shown = named.slice(0, MAX_IDS_PER_ROW);
    const more = named.length - shown.length;
    await journalFor(deps.db, ctx, {
      action: "person.data_read",
      targetType: "person",
      targetId: shown.join(","),
      structureId,
      reason: [
        read.route,
        read.filter,
        named.length > 1 ? `${named.length} personnes` : "",
        more > 0 ? `${more} non nommées` : "",
      ]
        .filter(Boolean)
        .join(" ; "),
    });
  }
}
