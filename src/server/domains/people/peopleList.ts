import { and, asc, desc, eq, isNotNull, isNull, notInArray, type SQL, sql } from "drizzle-orm";
import { finalDemarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import { parisDay } from "../../../common/calendar";
import { heldIn, releaseDay } from "../../../common/detention/place";
import {
  PEOPLE_PAGE_SIZE,
  type PeopleQuery,
  type PeopleSort,
  type PersonSummary,
} from "../../../common/people/people.schema";
import { JournalWriteFailed } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import { isDatabaseUnavailable } from "../../core/dbErrors";
import { type Db, rowsOf } from "../../db/createDb";
import { convocation, demarche, measure, person, referent, user } from "../../db/schema";
import { MAX_IDS_PER_ROW } from "../audit/JournalNominativeRead";
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

/** The journal row of the list, written by the statement that reads it (ADR 0010, ADR 0033). */
export interface ListJournal {
  ctx: RequestContext;
  /** The read in words (`describeNominativeRead`): the row's reason, before its count of people. */
  described: string;
}

/** Raw row of the list's statement: the total, then one person of the page (all null when it is empty). */
interface ListRow {
  total: number;
  id: string | null;
  structureId: string | null;
  firstName: string;
  lastName: string;
  birthDate: string;
  status: PersonSummary["status"];
  measureType: PersonSummary["measureType"];
  measureEndDate: string | null;
  referentUserId: string | null;
  referentName: string | null;
  nextConvocationAt: string | null;
  detentionSiteId: string | null;
  releasedOn: string | null;
  expectedReleaseDate: string | null;
}

// A page names at most one row's worth of people: the SQL below never cuts a row's ids.
if (PEOPLE_PAGE_SIZE > MAX_IDS_PER_ROW) throw new Error("a page of people must fit in one journal row");

/**
 * One page of the people the actor may see (the scope is in the WHERE: another structure's people
 * never come back), with the total over every page, in ONE statement (one round trip): `page` takes
 * the page's ids (filtered, sorted, counted by a window), the select adds their details (the
 * per-person subqueries run for 50 rows, not for every match), and with `journal` a data-modifying
 * CTE writes the journal row of the read — one per structure, naming the page's people as the mount
 * would (`journalNominativeRead`), none for an empty page — which commits with the read.
 */
export async function listPeople(
  db: Db,
  scope: PeopleScope,
  f: PeopleListFilters,
  now: Date,
  journal?: ListJournal,
): Promise<PeoplePage> {
  const where = and(...filterConditions(scope, f, now));
  // The referent and their name are joined for the page only when a filter or the sort reads them.
  const joins = pageJoins(f);
  const found = await readPage(
    db,
    scope,
    now,
    {
      where,
      order: sql.join(ordering(f, now), sql`, `),
      joins,
      limit: PEOPLE_PAGE_SIZE,
      offset: (f.page - 1) * PEOPLE_PAGE_SIZE,
      // Past the last page, the total still counts every match (page 1 empty: there is none).
      totalWhenEmpty:
        f.page === 1 ? sql`0` : sql`(select count(*)::int from ${person} ${joins} where ${where})`,
    },
    journal,
  );
  const closeMatches =
    found.people.length === 0 && f.page === 1 ? await closeMatchesOf(db, scope, f, now, journal) : [];
  return { ...found, closeMatches };
}

const referentJoin = sql`left join ${referent} on ${referent.personId} = ${person.id} and ${referent.endedAt} is null`;

/** The joins a page's selection needs: the referent (and their name) only when a filter or the sort reads them. */
function pageJoins(f: PeopleListFilters): SQL {
  const byReferent = f.mine || f.referent || f.sort === "referent";
  return sql.join(
    [
      ...(byReferent ? [referentJoin] : []),
      ...(f.sort === "referent" ? [sql`left join ${user} on ${user.id} = ${referent.userId}`] : []),
    ],
    sql` `,
  );
}

/**
 * The names closest to a name search that found nobody ("rivire" → RIVIERE Réjeanne): every word
 * typed (three letters or more) near a name, the other filters, the phone and the birth date as
 * they are. Within the actor's scope, like the list, and journaled the same way.
 */
async function closeMatchesOf(
  db: Db,
  scope: PeopleScope,
  f: PeopleListFilters,
  now: Date,
  journal: ListJournal | undefined,
): Promise<PersonSummary[]> {
  const parsed = parseSearch(f.search ?? "");
  const words = parsed.words.filter((word) => word.length >= 3);
  if (parsed.impossibleDate || words.length === 0) return [];
  const nearness = words.map((word) => sql`word_similarity(${word}, ${person.searchKey})`);
  const where = and(
    ...filterConditions(scope, { ...f, search: undefined }, now),
    ...(parsed.phoneDigits ? [sql`${person.searchKey} like ${`%${parsed.phoneDigits}%`}`] : []),
    ...(parsed.birthDate ? [eq(person.birthDate, parsed.birthDate)] : []),
    ...nearness.map((near) => sql`${near} >= ${CLOSE_NAME}`),
  );
  const order = sql`${sql.join(nearness, sql` + `)} desc, ${person.lastName} asc, ${person.firstName} asc, ${person.id} asc`;
  const close = await readPage(
    db,
    scope,
    now,
    {
      where,
      order,
      joins: pageJoins({ ...f, sort: "name" }),
      limit: CLOSE_MATCHES,
      offset: 0,
      totalWhenEmpty: sql`0`,
    },
    journal,
  );
  return close.people;
}

/** What selects a page: its conditions, order, joins, bounds, and its total when it is empty. */
interface PageQuery {
  where: SQL | undefined;
  order: SQL;
  joins: SQL;
  limit: number;
  offset: number;
  totalWhenEmpty: SQL;
}

/**
 * The statement of a page (see `listPeople`): the page's ids, counted by a window; their details;
 * with `journal`, the read's journal rows written by the same statement.
 */
async function readPage(
  db: Db,
  scope: PeopleScope,
  now: Date,
  { where, order, joins, limit, offset, totalWhenEmpty }: PageQuery,
  journal?: ListJournal,
): Promise<Omit<PeoplePage, "closeMatches">> {
  // The reason is bound even when the page is empty (no row then): PostgreSQL's text holds no NUL,
  // which a query's "%00" decodes to in the filter's words.
  const reason = journal?.described.replaceAll("\u0000", "\uFFFD");
  const journalRow = journal
    ? sql`, journal_row as (
        insert into audit_event (at, actor_user_id, action, target_type, target_id, structure_id, request_id, outcome, reason, ip)
        select ${journal.ctx.clock.now().toISOString()}::timestamptz, ${journal.ctx.actor.userId}::uuid, 'person.data_read',
          'person', string_agg(page.id::text, ',' order by page.pos), page.structure_id, ${journal.ctx.requestId}, 'success',
          ${reason} || case when count(*) > 1 then ' ; ' || count(*) || ' personnes' else '' end, ${journal.ctx.ip}
        from page group by page.structure_id order by min(page.pos)
      )`
    : sql``;
  const statement = sql`with page as (
      select ${person.id} as id, ${person.structureId} as structure_id, (count(*) over ())::int as total,
        row_number() over (order by ${order}) as pos
      from ${person} ${joins}
      where ${where}
      order by pos
      limit ${limit} offset ${offset}
    )${journalRow}
    select t.total, ${person.id} as id, ${person.structureId} as "structureId", ${person.firstName} as "firstName", ${person.lastName} as "lastName",
      ${person.birthDate} as "birthDate", ${person.status} as status, m.type as "measureType",
      m.end_date as "measureEndDate", ${referent.userId} as "referentUserId", ${user.displayName} as "referentName",
      ${nextConvocation(now)} as "nextConvocationAt", ${person.detentionSiteId} as "detentionSiteId",
      ${person.releasedOn} as "releasedOn", ${person.expectedReleaseDate} as "expectedReleaseDate"
    from (select coalesce((select page.total from page limit 1), ${totalWhenEmpty}) as total) t
    left join page on true
    left join ${person} on ${person.id} = page.id
    ${referentJoin}
    left join ${user} on ${user.id} = ${referent.userId}
    left join lateral (
      select ${measure.type} as type, ${measure.endDate} as end_date from ${measure}
      where ${measure.personId} = ${person.id} order by ${measure.endDate} desc limit 1
    ) m on true
    order by page.pos`;
  let rows: ListRow[];
  try {
    rows = await rowsOf<ListRow>(db, statement);
  } catch (cause) {
    // With its journal row, the statement writes: whatever failed, no row was written, nothing leaves.
    if (!journal || isDatabaseUnavailable(cause)) throw cause;
    throw new JournalWriteFailed(cause);
  }
  const today = parisDay(now);
  const people = rows.flatMap((row): PersonSummary[] => {
    if (row.id === null) return [];
    const detention = {
      siteId: row.detentionSiteId,
      releasedOn: row.releasedOn,
      expectedReleaseDate: row.expectedReleaseDate,
    };
    const held = heldIn(detention, today);
    return [
      {
        id: row.id,
        firstName: row.firstName,
        lastName: row.lastName,
        birthDate: row.birthDate,
        status: row.status,
        measureType: row.measureType,
        measureEndDate: row.measureEndDate,
        referentName: row.referentName,
        nextConvocationAt: row.nextConvocationAt ? new Date(row.nextConvocationAt).toISOString() : null,
        isMine: row.referentUserId === scope.actorUserId,
        heldIn: held,
        releaseDay: held ? releaseDay(detention) : null,
      },
    ];
  });
  if (journal) {
    // What the mount reads to know the answer's journal rows are written (one per structure).
    const named = new Map<string, string[]>();
    for (const row of rows)
      if (row.id !== null && row.structureId !== null)
        named.set(row.structureId, [...(named.get(row.structureId) ?? []), row.id]);
    for (const ids of named.values())
      journal.ctx.journaled?.push({
        action: "person.data_read",
        targetType: "person",
        targetId: ids.join(","),
        outcome: "success",
      });
  }
  return { people, total: rows[0]?.total ?? 0 };
}
