import { and, asc, eq, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { DirectoryEntry, DirectoryListQuery } from "../../../common/directory/directory.schema";
import type { Db } from "../../db/createDb";
import { directoryContact, directoryEntry, partner } from "../../db/schema";
import { searchFold } from "../people/search";

/** The words typed, folded as the SQL `search_fold` folds names: accents and case do not matter. */
export function searchWords(q: string): string[] {
  return q
    .split(/\s+/)
    .map(searchFold)
    .filter((w) => w.length > 0)
    .slice(0, 6);
}

/** Conditions of the search form: each word in the name, the area, the partner's name or a contact's name. */
export function searchConditions(query: DirectoryListQuery): SQL[] {
  const conditions: SQL[] = [];
  for (const word of searchWords(query.q)) {
    const pattern = `%${word}%`;
    conditions.push(
      sql`(search_fold(${directoryEntry.name}) like ${pattern}
        or search_fold(${directoryEntry.area}) like ${pattern}
        or exists (select 1 from ${partner} where ${partner.id} = ${directoryEntry.partnerId} and search_fold(${partner.name}) like ${pattern})
        or exists (select 1 from ${directoryContact} where ${directoryContact.entryId} = ${directoryEntry.id} and ${directoryContact.archivedAt} is null and search_fold(${directoryContact.name}) like ${pattern}))`,
    );
  }
  for (const word of searchWords(query.area)) {
    conditions.push(sql`search_fold(${directoryEntry.area}) like ${`%${word}%`}`);
  }
  if (query.kind) conditions.push(eq(directoryEntry.kind, query.kind));
  if (query.service) conditions.push(sql`${query.service} = any(${directoryEntry.services})`);
  if (query.partnerId) conditions.push(eq(directoryEntry.partnerId, query.partnerId));
  if (query.iaeKind) conditions.push(eq(directoryEntry.iaeKind, query.iaeKind));
  return conditions;
}

/**
 * Which archived rows a read shows: a search or a picker shows active organisations and contacts
 * only (`active`); the direction lists the archived organisations (`archived`); an organisation's
 * page shows it whatever its state, with its archived contacts flagged (`all`), so past
 * orientations, actions and conventions still lead to it.
 */
export type ArchivedView = "active" | "archived" | "all";

/** Entries with their contacts, ordered by name. */
export async function entryViews(
  db: Db,
  where: SQL | undefined,
  view: ArchivedView = "active",
): Promise<DirectoryEntry[]> {
  const entryState =
    view === "active"
      ? isNull(directoryEntry.archivedAt)
      : view === "archived"
        ? isNotNull(directoryEntry.archivedAt)
        : undefined;
  const rows = await db
    .select({ entry: directoryEntry, partnerName: partner.name })
    .from(directoryEntry)
    .leftJoin(partner, eq(partner.id, directoryEntry.partnerId))
    .where(and(entryState, where))
    .orderBy(asc(directoryEntry.name))
    .limit(500);
  if (rows.length === 0) return [];
  const contacts = await db
    .select()
    .from(directoryContact)
    .where(
      and(
        inArray(
          directoryContact.entryId,
          rows.map((r) => r.entry.id),
        ),
        view === "all" ? undefined : isNull(directoryContact.archivedAt),
      ),
    )
    .orderBy(asc(directoryContact.name));
  return rows.map(({ entry, partnerName }) => ({
    id: entry.id,
    structureId: entry.structureId,
    name: entry.name,
    kind: entry.kind as DirectoryEntry["kind"],
    partnerId: entry.partnerId,
    partnerName,
    iaeKind: entry.iaeKind,
    siret: entry.siret,
    inPrison: entry.inPrison,
    area: entry.area,
    services: entry.services as DirectoryEntry["services"],
    address: entry.address,
    phone: entry.phone,
    email: entry.email,
    website: entry.website,
    notes: entry.notes,
    archivedAt: entry.archivedAt?.toISOString() ?? null,
    contacts: contacts
      .filter((c) => c.entryId === entry.id)
      .map((c) => ({
        id: c.id,
        name: c.name,
        function: c.function,
        email: c.email,
        phone: c.phone,
        newsletterSubscribed: c.newsletterSubscribed && c.unsubscribedAt === null,
        archivedAt: c.archivedAt?.toISOString() ?? null,
        emailBouncedAt: c.emailBouncedAt?.toISOString() ?? null,
      })),
  }));
}

/** A contact of the structure's directory, with its entry (for the orientation's choice); never an archived one. */
export async function contactOfStructure(
  db: Db,
  structureId: string,
  contactId: string,
): Promise<{ contactId: string; entryId: string; partnerId: string | null; kind: string } | undefined> {
  const [row] = await db
    .select({
      contactId: directoryContact.id,
      entryId: directoryEntry.id,
      partnerId: directoryEntry.partnerId,
      kind: directoryEntry.kind,
    })
    .from(directoryContact)
    .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
    .where(
      and(eq(directoryContact.id, contactId), eq(directoryEntry.structureId, structureId), contactIsActive()),
    );
  return row;
}

/** The condition "this contact and its organisation are not archived", for pickers and sends. */
export function contactIsActive(): SQL {
  return and(isNull(directoryContact.archivedAt), isNull(directoryEntry.archivedAt)) as SQL;
}
