import { and, desc, eq, exists, gt, gte, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/createDb";
import {
  convocation,
  openingRule,
  orientation,
  partner,
  person,
  referent,
  site,
  structure,
  transfer,
  user,
  visit,
} from "../../db/schema";
import { followedPeople } from "../people/policies";

const personName = sql<string>`upper(${person.lastName}) || ' ' || ${person.firstName}`;

/**
 * The people the CPIP refers, in their structures, whose file is open (a merged duplicate is nobody's;
 * a closed file leaves the home with the other active lists).
 */
export function referredBy(userId: string, officerStructures: string[]) {
  return and(
    isNull(person.mergedIntoId),
    isNull(person.closedAt),
    isNull(person.archivedAt),
    inArray(person.structureId, officerStructures),
    exists(
      sql`(select 1 from ${referent} where ${referent.personId} = ${person.id} and ${referent.endedAt} is null and ${referent.userId} = ${userId})`,
    ),
  );
}

/**
 * The orientations the counselor sent herself, in her counselor structures, about people she follows
 * there (convoked in the structure, open file: the people policy's rule, `followedPeople`). Another
 * counselor's orientations, or a person she no longer sees, stay out.
 */
export function sentByCounselor(userId: string, counselorStructures: string[]): SQL {
  if (counselorStructures.length === 0) return sql`false`;
  return and(
    eq(orientation.createdBy, userId),
    inArray(orientation.structureId, counselorStructures),
    eq(orientation.structureId, person.structureId),
    followedPeople({
      actorUserId: userId,
      managerStructures: [],
      officerStructures: [],
      officerServices: [],
      counselorStructures,
    }),
  ) as SQL;
}

const LIMIT = 200;

/** Visits recorded after `since` for the CPIP's people, with the counselor's suggestion. */
export function visitsSince(db: Db, people: ReturnType<typeof referredBy>, since: Date) {
  return db
    .select({
      personId: person.id,
      personName,
      at: visit.createdAt,
      startedAt: visit.startedAt,
      byName: user.displayName,
      place: site.name,
    })
    .from(visit)
    .innerJoin(person, eq(person.id, visit.personId))
    .leftJoin(user, eq(user.id, visit.counselorUserId))
    .leftJoin(site, eq(site.id, visit.siteId))
    .where(and(people, gt(visit.createdAt, since)))
    .orderBy(desc(visit.createdAt))
    .limit(LIMIT);
}

/** Absences and cancellations by the person noted by someone else after `since`. */
export function statusesSince(db: Db, people: ReturnType<typeof referredBy>, since: Date, userId: string) {
  return db
    .select({
      personId: person.id,
      personName,
      status: convocation.status,
      at: convocation.statusChangedAt,
      startsAt: convocation.startsAt,
      byName: user.displayName,
      place: site.name,
    })
    .from(convocation)
    .innerJoin(person, eq(person.id, convocation.personId))
    .innerJoin(site, eq(site.id, convocation.siteId))
    .leftJoin(user, eq(user.id, convocation.statusChangedBy))
    .where(
      and(
        people,
        inArray(convocation.status, ["missed", "excused"]),
        gt(convocation.statusChangedAt, since),
        ne(convocation.statusChangedBy, userId),
      ),
    )
    .orderBy(desc(convocation.statusChangedAt))
    .limit(LIMIT);
}

/**
 * Orientations answered (accepted, refused) or completed after `since`, among those `which` selects
 * (the CPIP's people's, the counselor's own: a condition on `orientation` and `person`).
 */
export function orientationAnswersSince(db: Db, which: SQL | undefined, since: Date) {
  return db
    .select({
      personId: person.id,
      personName,
      status: orientation.status,
      target: orientation.target,
      answeredAt: orientation.answeredAt,
      completedAt: orientation.completedAt,
      refusalReason: orientation.refusalReason,
      outcome: orientation.outcome,
      byName: user.displayName,
      partnerName: partner.name,
    })
    .from(orientation)
    .innerJoin(person, eq(person.id, orientation.personId))
    .leftJoin(partner, eq(partner.id, orientation.partnerId))
    .leftJoin(user, eq(user.id, orientation.answeredBy))
    .where(
      and(
        which,
        inArray(orientation.status, ["accepted", "refused", "completed"]),
        sql`coalesce(${orientation.completedAt}, ${orientation.answeredAt}) > ${since.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(desc(sql`coalesce(${orientation.completedAt}, ${orientation.answeredAt})`))
    .limit(LIMIT);
}

/**
 * People whose latest visit suggests a new convocation and who have none after that visit (booked
 * before or since; a cancelled one does not count).
 */
export function pendingReconvocations(db: Db, people: ReturnType<typeof referredBy>) {
  return db
    .select({
      personId: person.id,
      personName,
      structureId: person.structureId,
      visitAt: visit.startedAt,
      counselorName: user.displayName,
      inDays: sql<number>`${visit.suggestNextInDays}`.mapWith(Number),
      suggestion: visit.suggestion,
    })
    .from(visit)
    .innerJoin(person, eq(person.id, visit.personId))
    .leftJoin(user, eq(user.id, visit.counselorUserId))
    .where(
      and(
        people,
        sql`${visit.suggestNextInDays} is not null`,
        sql`not exists (select 1 from ${visit} later where later.person_id = ${visit.personId} and later.started_at > ${visit.startedAt})`,
        sql`not exists (select 1 from ${convocation} c where c.person_id = ${visit.personId} and c.starts_at > ${visit.startedAt} and c.status <> 'cancelled' and c.status <> 'excused')`,
      ),
    )
    .orderBy(visit.startedAt)
    .limit(LIMIT);
}

/**
 * The structures' days of permanence as their opening rules say (still valid on `fromDay` or
 * later), with the département whose public holidays they keep.
 */
export async function structureOpenings(db: Db, structureIds: string[], fromDay: string) {
  const found = await db
    .select({ id: structure.id, departement: structure.departement })
    .from(structure)
    .where(inArray(structure.id, structureIds));
  const rules = await db
    .select({
      structureId: site.structureId,
      weekday: openingRule.weekday,
      onDate: openingRule.onDate,
      validFrom: openingRule.validFrom,
      validTo: openingRule.validTo,
    })
    .from(openingRule)
    .innerJoin(site, eq(site.id, openingRule.siteId))
    .where(
      and(
        inArray(site.structureId, structureIds),
        or(isNull(openingRule.validTo), gte(openingRule.validTo, fromDay)),
      ),
    );
  return new Map(
    found.map((s) => [
      s.id,
      { departement: s.departement, rules: rules.filter((r) => r.structureId === s.id) },
    ]),
  );
}

const fromSide = alias(structure, "from_side");
const toSide = alias(structure, "to_side");
const newReferent = alias(user, "new_referent");

/**
 * Transfers accepted since `since` that concern the CPIP, in their CPIP structures: as the referent
 * of the file passed on (`sent`: the sending file, closed « transfert », kept read-only there) or as
 * the new referent chosen at acceptance (`received`: the file opened in the receiving structure).
 * The scope is in the statement; one row per transfer and side, so the event is shown once.
 */
export async function transfersAcceptedSince(
  db: Db,
  userId: string,
  officerStructures: string[],
  since: Date,
) {
  if (officerStructures.length === 0) return [];
  const answeredSince = and(
    eq(transfer.status, "accepted"),
    sql`${transfer.answeredAt} > ${since.toISOString()}::timestamptz`,
  );
  // One statement per side: the file it names (the sending file, or the one opened on acceptance)
  // and who it concerns there.
  const side = (
    fileId: typeof transfer.personId | typeof transfer.resultPersonId,
    concerns: SQL | undefined,
  ) =>
    db
      .select({
        personId: person.id,
        personName,
        at: transfer.answeredAt,
        fromName: fromSide.name,
        toName: toSide.name,
        referentName: newReferent.displayName,
      })
      .from(transfer)
      .innerJoin(person, eq(person.id, fileId))
      .innerJoin(fromSide, eq(fromSide.id, transfer.fromStructureId))
      .innerJoin(toSide, eq(toSide.id, transfer.toStructureId))
      .leftJoin(newReferent, eq(newReferent.id, transfer.newReferentUserId))
      .where(and(answeredSince, concerns))
      .orderBy(desc(transfer.answeredAt))
      .limit(LIMIT);
  const sent = await side(
    transfer.personId,
    and(
      inArray(transfer.fromStructureId, officerStructures),
      exists(
        sql`(select 1 from ${referent} where ${referent.personId} = ${transfer.personId} and ${referent.endedAt} is null and ${referent.userId} = ${userId})`,
      ),
    ),
  );
  const received = await side(
    transfer.resultPersonId,
    and(inArray(transfer.toStructureId, officerStructures), eq(transfer.newReferentUserId, userId)),
  );
  return [
    ...sent.map((r) => ({ ...r, side: "sent" as const })),
    ...received.map((r) => ({ ...r, side: "received" as const })),
  ];
}
