import { and, asc, desc, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import { handoverMeeting, measure, membership, person, referent, transfer, user } from "../../db/schema";
import {
  counselorSees,
  editablePeople,
  judicialFieldsVisible,
  type PeopleScope,
  visiblePeople,
} from "./policies";

/**
 * The file was passed to another structure (a transfer accepted, a handover held there): the file
 * opened there continues it, this one stays closed for good (ADR 0029). Read only for a file closed
 * « transfert », the reason such a passing sets.
 */
const passedOn = sql<boolean>`(${person.closedReason} = 'transfer' and (
  exists (select 1 from ${transfer} where ${transfer.personId} = ${person.id}
    and ${transfer.resultPersonId} is not null and ${transfer.resultPersonId} <> ${person.id})
  or exists (select 1 from ${handoverMeeting} where ${handoverMeeting.personId} = ${person.id}
    and ${handoverMeeting.resultPersonId} is not null and ${handoverMeeting.resultPersonId} <> ${person.id})))`;

/** The person if visible, with what the actor may see and do; undefined otherwise. */
export async function findVisiblePerson(db: Db, scope: PeopleScope, personId: string) {
  const [row] = await db
    .select({
      person,
      full: sql<boolean>`(${judicialFieldsVisible(scope)})`.mapWith(Boolean),
      edit: sql<boolean>`(${editablePeople(scope)})`.mapWith(Boolean),
      passedOn: sql<boolean>`coalesce(${passedOn}, false)`.mapWith(Boolean),
      // In the actor's own counselor scope (convoked in their structure): what a counselor may write on.
      counselor: sql<boolean>`(${counselorSees(scope)})`.mapWith(Boolean),
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
        isNull(person.erasedAt),
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

/** CPIP of the structure, rattached to a SPIP service, active and enabled: who may refer a person. */
export function referentCandidates(
  db: Db,
  structureId: string,
): Promise<{ userId: string; displayName: string; email: string; serviceId: string | null }[]> {
  return db
    .selectDistinctOn([user.displayName, user.id], {
      userId: user.id,
      displayName: user.displayName,
      email: user.email,
      serviceId: membership.serviceId,
    })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(
      and(
        eq(membership.structureId, structureId),
        eq(membership.role, "probation_officer"),
        isNull(membership.endedAt),
        isNotNull(membership.acceptedAt),
        isNotNull(membership.serviceId),
        isNull(user.disabledAt),
      ),
    )
    .orderBy(asc(user.displayName), asc(user.id));
}
