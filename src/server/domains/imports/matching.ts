import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Actor } from "../../core/context";
import { Turns } from "../../core/turns";
import type { Db } from "../../db/createDb";
import { person } from "../../db/schema";
import { peopleScope, visiblePeople } from "../people/policies";
import { nameKey } from "../people/rules";

const CHUNK = 1000;
// Between two queries, other requests get their turn (a file's 50,000 rows make 50 queries).

/**
 * Birth dates per query: each may bring back several people (a whole caseload imported again brings
 * back every one), and on PGlite a query holds the event loop until all its rows are read.
 */
const DATE_CHUNK = 200;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The structure's people already imported under these source numbers: number → person id. */
export async function peopleBySourceNumber(
  db: Db,
  structureId: string,
  numbers: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const turns = new Turns();
  for (const part of chunks([...new Set(numbers)])) {
    await turns.breathe();
    const rows = await db
      .select({ id: person.id, sourceNumber: person.sourceNumber })
      .from(person)
      .where(and(eq(person.structureId, structureId), inArray(person.sourceNumber, part)));
    for (const row of rows) if (row.sourceNumber) found.set(row.sourceNumber, row.id);
  }
  return found;
}

export interface ExistingPerson {
  id: string;
  lastName: string;
  firstName: string;
  fileNumber: number;
  closed: boolean;
  phone: string;
  email: string;
  sourceNumber: string | null;
}

/** Normalised name and birth date: how a row is matched against the people already followed. */
export function identityKey(p: { lastName: string; firstName: string; birthDate: string }): string {
  return `${nameKey(p.lastName)}|${nameKey(p.firstName)}|${p.birthDate}`;
}

/** The structure's people (not merged away) sharing a row's normalised name and birth date, by key. */
export async function identityMatches(
  db: Db,
  structureId: string,
  rows: readonly { lastName: string; firstName: string; birthDate: string }[],
): Promise<Map<string, ExistingPerson>> {
  const turns = new Turns();
  const wanted = new Set<string>();
  for (const row of rows) {
    wanted.add(identityKey(row));
    if (turns.due()) await turns.pass();
  }
  const found = new Map<string, ExistingPerson>();
  for (const part of chunks([...new Set(rows.map((r) => r.birthDate))], DATE_CHUNK)) {
    await turns.breathe();
    const candidates = await db
      .select({
        id: person.id,
        lastName: person.lastName,
        firstName: person.firstName,
        birthDate: person.birthDate,
        fileNumber: person.fileNumber,
        closedAt: person.closedAt,
        phone: person.phone,
        email: person.email,
        sourceNumber: person.sourceNumber,
      })
      .from(person)
      .where(
        and(
          eq(person.structureId, structureId),
          isNull(person.mergedIntoId),
          inArray(person.birthDate, part),
        ),
      )
      .orderBy(person.fileNumber);
    for (const c of candidates) {
      const key = identityKey(c);
      if (wanted.has(key) && !found.has(key)) {
        const { closedAt, birthDate: _, ...rest } = c;
        found.set(key, { ...rest, closed: closedAt !== null });
      }
    }
  }
  return found;
}

/** Which of these people the actor may see (the others are only counted, never named). */
export async function visibleAmong(db: Db, actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  const visible = new Set<string>();
  const turns = new Turns();
  for (const part of chunks([...new Set(ids)])) {
    await turns.breathe();
    const rows = await db
      .select({ id: person.id })
      .from(person)
      .where(and(inArray(person.id, part), visiblePeople(peopleScope(actor))));
    for (const row of rows) visible.add(row.id);
  }
  return visible;
}
