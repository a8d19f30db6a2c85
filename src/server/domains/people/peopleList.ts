import { and, asc, desc, eq, inArray, isNotNull, isNull, notInArray, type SQL, sql } from "drizzle-orm";
import { finalDemarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import { parisDay } from "../../../common/calendar";
import { heldIn, releaseDay } from "../../../common/detention/place";
import {
  PEOPLE_PAGE_SIZE,
  type PeopleQuery,
  type PeopleSort,
  type PersonSummary,
} from "../../../common/people/people.schema";
import type { Db } from "../../db/createDb";
import { convocation, demarche, measure, person, referent, user } from "../../db/schema";
import { type PeopleScope, visiblePeople } from "./policies";
import { parseSearch } from "./search";

export type PeopleListFilters = Omit<PeopleQuery, "mine"> & { mine?: boolean };

export interface PeoplePage {
  people: PersonSummary[];
  total: number;
  /** When a name search finds nobody: the closest names (a typo, a missing letter), best first. */
  closeMatches: PersonSummary[];
}

/** How close each word typed must be to a name (pg_trgm word similarity) to be offered. */
const CLOSE_NAME = 0.4;
const CLOSE_MATCHES = 5;

const WEEK_MS = 7 * 86_400_000;

/** The measure that ends last is the current one. */
const currentMeasure = (column: typeof measure.type | typeof measure.endDate) =>
  sql`(select ${column} from ${measure} where ${measure.personId} = ${person.id} order by ${measure.endDate} desc limit 1)`;

const nextConvocation = (now: Date) =>
  sql`(select min(${convocation.startsAt}) from ${convocation} where ${convocation.personId} = ${person.id} and ${convocation.status} = 'planned' and ${convocation.startsAt} > ${now.toISOString()})`;

/** The search as conditions on the indexed key (ADR 0011): every word, the phone's digits, the birth date. */
function searchConditions(search: string | undefined): SQL[] {
  if (!search) return [];
  const parsed = parseSearch(search);
  if (parsed.impossibleDate) return [sql`false`];
  // Words and digits are [a-z0-9] only: nothing to escape in the LIKE pattern.
  const parts = [...parsed.words, ...(parsed.phoneDigits ? [parsed.phoneDigits] : [])];
  // Only punctuation ("%", "'", "_"): it names nobody, rather than everybody. A date being typed
  // ("14/03") keeps the list until it is whole.
  if (parts.length === 0 && !parsed.birthDate && !/[0-9]/.test(search)) return [sql`false`];
  return [
    ...parts.map((part) => sql`${person.searchKey} like ${`%${part}%`}`),
    ...(parsed.birthDate ? [eq(person.birthDate, parsed.birthDate)] : []),
  ];
}

function filterConditions(scope: PeopleScope, f: PeopleListFilters, now: Date): (SQL | undefined)[] {
  const convocationsOf = (where: SQL) =>
    sql`exists (select 1 from ${convocation} where ${convocation.personId} = ${person.id} and ${where})`;
  const since = f.withoutConvocationWeeks
    ? new Date(now.getTime() - f.withoutConvocationWeeks * WEEK_MS).toISOString()
    : null;
  return [
    visiblePeople(scope),
    // An archived file is out of every list and search (the direction finds it on its retention page).
    isNull(person.archivedAt),
    f.fileState === "active" ? isNull(person.closedAt) : undefined,
    f.fileState === "closed" ? isNotNull(person.closedAt) : undefined,
    ...searchConditions(f.search),
    f.mine ? eq(referent.userId, scope.actorUserId) : undefined,
    f.referent ? eq(referent.userId, f.referent) : undefined,
    f.status ? eq(person.status, f.status) : undefined,
    f.site ? convocationsOf(sql`${convocation.siteId} = ${f.site}`) : undefined,
    f.openDemarche === "true"
      ? sql`exists (select 1 from ${demarche} where ${demarche.personId} = ${person.id} and ${notInArray(demarche.status, [...finalDemarcheStatuses])})`
      : undefined,
    f.upcoming === "true"
      ? convocationsOf(
          sql`${convocation.status} = 'planned' and ${convocation.startsAt} > ${now.toISOString()}`,
        )
      : undefined,
    since
      ? sql`not ${convocationsOf(
          sql`((${convocation.startsAt} >= ${since} and ${convocation.startsAt} <= ${now.toISOString()}) or (${convocation.status} = 'planned' and ${convocation.startsAt} > ${now.toISOString()}))`,
        )}`
      : undefined,
  ];
}

/** The ORDER BY: the chosen column (empty values last), then the name, then the id (stable pages). */
function ordering(f: PeopleListFilters, now: Date): SQL[] {
  const direction = f.order === "desc" ? desc : asc;
  const nullsLast = (column: SQL) =>
    sql`${column} ${sql.raw(f.order === "desc" ? "desc" : "asc")} nulls last`;
  const byName = [direction(person.lastName), direction(person.firstName), asc(person.id)];
  const sort: PeopleSort | "relevance" =
    f.sort ?? (f.search && parseSearch(f.search).words.length > 0 ? "relevance" : "name");
  switch (sort) {
    case "name":
      return byName;
    case "birthDate":
      return [direction(person.birthDate), ...byName];
    case "nextConvocation":
      return [nullsLast(nextConvocation(now)), ...byName];
    case "measureEnd":
      return [nullsLast(currentMeasure(measure.endDate)), ...byName];
    case "referent":
      return [nullsLast(sql`${user.displayName}`), ...byName];
    case "relevance": {
      // Names starting with the first word typed come first ("ben" → Benali before Aubenas).
      const first = parseSearch(f.search ?? "").words[0] ?? "";
      const rank = sql`case when ${person.searchKey} like ${`${first}%`} or ${person.searchKey} like ${`% ${first}%`} then 0 else 1 end`;
      return [asc(rank), asc(person.lastName), asc(person.firstName), asc(person.id)];
    }
  }
}

/**
 * One page of the people the actor may see (the scope is in the WHERE: another structure's people
 * never come back), with the total over every page. First the page's ids (filtered, sorted, counted
 * by a window), then their details: the per-person subqueries run for 50 rows, not for every match.
 */
export async function listPeople(
  db: Db,
  scope: PeopleScope,
  f: PeopleListFilters,
  now: Date,
): Promise<PeoplePage> {
  const where = and(...filterConditions(scope, f, now));
  const activeReferent = and(eq(referent.personId, person.id), isNull(referent.endedAt));
  const page = await db
    .select({ id: person.id, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(person)
    .leftJoin(referent, activeReferent)
    .leftJoin(user, eq(user.id, referent.userId))
    .where(where)
    .orderBy(...ordering(f, now))
    .limit(PEOPLE_PAGE_SIZE)
    .offset((f.page - 1) * PEOPLE_PAGE_SIZE);
  if (page.length === 0) {
    if (f.page === 1) return { people: [], total: 0, closeMatches: await closeMatchesOf(db, scope, f, now) };
    const [counted] = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(person)
      .leftJoin(referent, activeReferent)
      .where(where);
    return { people: [], total: counted?.n ?? 0, closeMatches: [] };
  }
  const people = await summariesOf(
    db,
    scope,
    page.map((p) => p.id),
    now,
  );
  return { people, total: page[0]?.total ?? 0, closeMatches: [] };
}

/** The list's lines of these people, in this order (their details: 50 rows at most, never every match). */
async function summariesOf(db: Db, scope: PeopleScope, ids: string[], now: Date): Promise<PersonSummary[]> {
  if (ids.length === 0) return [];
  const activeReferent = and(eq(referent.personId, person.id), isNull(referent.endedAt));
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
      nextConvocationAt: sql<Date | null>`${nextConvocation(now)}`,
      detentionSiteId: person.detentionSiteId,
      releasedOn: person.releasedOn,
      expectedReleaseDate: person.expectedReleaseDate,
    })
    .from(person)
    .leftJoin(referent, activeReferent)
    .leftJoin(user, eq(user.id, referent.userId))
    .where(and(visiblePeople(scope), inArray(person.id, ids)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const { referentUserId, detentionSiteId, releasedOn, expectedReleaseDate, ...fields } = row;
    const detention = { siteId: detentionSiteId, releasedOn, expectedReleaseDate };
    const held = heldIn(detention, parisDay(now));
    return [
      {
        ...fields,
        measureType: (fields.measureType ?? null) as PersonSummary["measureType"],
        measureEndDate: fields.measureEndDate ?? null,
        referentName: fields.referentName ?? null,
        nextConvocationAt: fields.nextConvocationAt ? new Date(fields.nextConvocationAt).toISOString() : null,
        isMine: referentUserId === scope.actorUserId,
        heldIn: held,
        releaseDay: held ? releaseDay(detention) : null,
      },
    ];
  });
}

/**
 * The names closest to a name search that found nobody ("rivire" → RIVIERE Réjeanne): every word
 * typed (three letters or more) near a name, the other filters, the phone and the birth date as
 * they are. Within the actor's scope, like the list.
 */
async function closeMatchesOf(
  db: Db,
  scope: PeopleScope,
  f: PeopleListFilters,
  now: Date,
): Promise<PersonSummary[]> {
  const parsed = parseSearch(f.search ?? "");
  const words = parsed.words.filter((word) => word.length >= 3);
  if (parsed.impossibleDate || words.length === 0) return [];
  const nearness = words.map((word) => sql`word_similarity(${word}, ${person.searchKey})`);
  const activeReferent = and(eq(referent.personId, person.id), isNull(referent.endedAt));
  const found = await db
    .select({ id: person.id })
    .from(person)
    .leftJoin(referent, activeReferent)
    .leftJoin(user, eq(user.id, referent.userId))
    .where(
      and(
        ...filterConditions(scope, { ...f, search: undefined }, now),
        ...(parsed.phoneDigits ? [sql`${person.searchKey} like ${`%${parsed.phoneDigits}%`}`] : []),
        ...(parsed.birthDate ? [eq(person.birthDate, parsed.birthDate)] : []),
        ...nearness.map((near) => sql`${near} >= ${CLOSE_NAME}`),
      ),
    )
    .orderBy(desc(sql.join(nearness, sql` + `)), asc(person.lastName), asc(person.firstName), asc(person.id))
    .limit(CLOSE_MATCHES);
  return summariesOf(
    db,
    scope,
    found.map((row) => row.id),
    now,
  );
}
