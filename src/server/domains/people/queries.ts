import { and, asc, desc, eq, ilike, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import type { PersonSummary } from "../../../common/people/people.schema";
import type { Db } from "../../db/createDb";
import { convocation, measure, person, referent, user } from "../../db/schema";
import { editablePeople, judicialFieldsVisible, type PeopleScope, visiblePeople } from "./policies";

const LIST_LIMIT = 200;

/** The measure that ends last is the current one. */
const currentMeasure = (column: typeof measure.type | typeof measure.endDate) =>
  sql`(select ${column} from ${measure} where ${measure.personId} = ${person.id} order by ${measure.endDate} desc limit 1)`;

export async function listPeople(
  db: Db,
  scope: PeopleScope,
  filters: { search?: string | undefined; mine?: boolean },
  now: Date,
): Promise<PersonSummary[]> {
  const conditions: (SQL | undefined)[] = [visiblePeople(scope)];
  if (filters.search) {
    const pattern = `%${filters.search.replace(/[%_\\]/g, "\\$&")}%`;
    conditions.push(or(ilike(person.lastName, pattern), ilike(person.firstName, pattern)));
  }
  if (filters.mine) conditions.push(eq(referent.userId, scope.actorUserId));
  const rows = await db
    .select({
      id: person.id,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: person.birthDate,
      status: person.status,
      measureType: currentMeasure(measure.type).mapWith(String),
      measureEndDate: currentMeasure(measure.endDate).mapWith(String),
      referentUserId: referent.userId,
      referentName: user.displayName,
      nextConvocationAt: sql<Date | null>`(select min(${convocation.startsAt}) from ${convocation} where ${convocation.personId} = ${person.id} and ${convocation.status} = 'planned' and ${convocation.startsAt} > ${now.toISOString()})`,
    })
    .from(person)
    .leftJoin(referent, and(eq(referent.personId, person.id), isNull(referent.endedAt)))
    .leftJoin(user, eq(user.id, referent.userId))
    .where(and(...conditions))
    .orderBy(asc(person.lastName), asc(person.firstName))
    .limit(LIST_LIMIT);
  return rows.map(({ referentUserId, ...row }) => ({
    ...row,
    measureType: (row.measureType ?? null) as PersonSummary["measureType"],
    measureEndDate: row.measureEndDate ?? null,
    referentName: row.referentName ?? null,
    nextConvocationAt: row.nextConvocationAt ? new Date(row.nextConvocationAt).toISOString() : null,
    isMine: referentUserId === scope.actorUserId,
  }));
}

/** The person if visible, with what the actor may see and do; undefined otherwise. */
export async function findVisiblePerson(db: Db, scope: PeopleScope, personId: string) {
  const [row] = await db
    .select({
      person,
      full: sql<boolean>`(${judicialFieldsVisible(scope)})`.mapWith(Boolean),
      edit: sql<boolean>`(${editablePeople(scope)})`.mapWith(Boolean),
      referentUserId: referent.userId,
      referentServiceId: referent.serviceId,
      referentName: user.displayName,
      referentSince: referent.startedAt,
    })
    .from(person)
    .leftJoin(referent, and(eq(referent.personId, person.id), isNull(referent.endedAt)))
    .leftJoin(user, eq(user.id, referent.userId))
    .where(and(eq(person.id, personId), visiblePeople(scope)));
  return row;
}

export async function findPersonStructure(db: Db, personId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ structureId: person.structureId })
    .from(person)
    .where(eq(person.id, personId));
  return row?.structureId;
}

/** Judicial columns are selected only for the full view: a counselor's query never reads them. */
export function measuresFull(db: Db, personId: string) {
  return db
    .select({
      type: measure.type,
      startDate: measure.startDate,
      endDate: measure.endDate,
      offence: measure.offence,
      court: measure.court,
      judgmentDate: measure.judgmentDate,
    })
    .from(measure)
    .where(eq(measure.personId, personId))
    .orderBy(sql`${measure.endDate} desc`);
}

export function measuresRestricted(db: Db, personId: string) {
  return db
    .select({ type: measure.type, endDate: measure.endDate })
    .from(measure)
    .where(eq(measure.personId, personId))
    .orderBy(sql`${measure.endDate} desc`);
}

/** People of a structure with the same name and birth date, or the same phone. */
export async function findDuplicateCandidates(
  db: Db,
  input: { structureId: string; lastNameKey: string; firstNameKey: string; birthDate: string; phone: string },
) {
  const key = (column: typeof person.lastName | typeof person.firstName) =>
    sql`lower(regexp_replace(translate(${column}, 'àâäéèêëîïôöùûüçÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ', 'aaaeeeeiioouuucAAAEEEEIIOOUUUC'), '[^[:alpha:]]', '', 'g'))`;
  return db
    .select({
      id: person.id,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: person.birthDate,
      phone: person.phone,
    })
    .from(person)
    .where(
      and(
        eq(person.structureId, input.structureId),
        isNull(person.mergedIntoId),
        or(
          and(
            sql`${key(person.lastName)} = ${input.lastNameKey}`,
            sql`${key(person.firstName)} = ${input.firstNameKey}`,
            eq(person.birthDate, input.birthDate),
          ),
          input.phone ? eq(person.phone, input.phone) : undefined,
        ),
      ),
    )
    .limit(20);
}

/** Former referents of a person, newest first. */
export async function referentHistory(
  db: Db,
  personId: string,
): Promise<{ displayName: string; since: string; until: string }[]> {
  const rows = await db
    .select({ displayName: user.displayName, since: referent.startedAt, until: referent.endedAt })
    .from(referent)
    .innerJoin(user, eq(user.id, referent.userId))
    .where(and(eq(referent.personId, personId), isNotNull(referent.endedAt)))
    .orderBy(desc(referent.endedAt));
  return rows.map((r) => ({
    displayName: r.displayName,
    since: r.since.toISOString(),
    until: r.until!.toISOString(),
  }));
}
