import { and, asc, count, eq, gte, inArray, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { byFrench } from "../../../common/frenchOrder";
import type { FilterChoices } from "../../../common/reporting/reporting.schema";
import type { Db } from "../../db/createDb";
import {
  membership,
  partner,
  personMilestone,
  site,
  structure,
  user,
  VISIT_MONTHS,
  VISIT_MONTHS_FROM,
  visit,
} from "../../db/schema";
import { agentNameIn } from "../structures/queries";

/** What every steering query is limited to: structures the actor may see, filters, whole months. */
export interface ReportScope {
  structureIds: string[];
  siteId?: string | undefined;
  partnerId?: string | undefined;
  counselorId?: string | undefined;
  /** First day of the first month and first day of the month after the last, Europe/Paris. */
  fromMonth: string;
  untilMonth: string;
  /** The same bounds as instants (midnight Europe/Paris). */
  fromAt: Date;
  untilAt: Date;
}

/** The columns a table offers to the filters (a filter the table lacks does not apply to it). */
export interface Dimensions {
  structureId: AnyPgColumn;
  siteId?: AnyPgColumn;
  counselorId?: AnyPgColumn;
  partnerId?: AnyPgColumn;
}

/** Rows of the scope's structures, within `period`, narrowed by the filters the table has columns for. */
export function inScope(scope: ReportScope, columns: Dimensions, period: SQL | undefined): SQL {
  return and(
    inArray(columns.structureId, scope.structureIds),
    period,
    scope.siteId && columns.siteId ? eq(columns.siteId, scope.siteId) : undefined,
    scope.counselorId && columns.counselorId ? eq(columns.counselorId, scope.counselorId) : undefined,
    scope.partnerId && columns.partnerId ? eq(columns.partnerId, scope.partnerId) : undefined,
  ) as SQL;
}
export const inMonths = (column: AnyPgColumn, scope: ReportScope): SQL | undefined =>
  and(gte(column, scope.fromMonth), lt(column, scope.untilMonth));
export const inInstants = (column: AnyPgColumn, scope: ReportScope): SQL | undefined =>
  and(gte(column, scope.fromAt), lt(column, scope.untilAt));

export interface PeopleFigures {
  accompanied: number;
  newPeople: number;
  firstRightDays: number | null;
  firstRightPeople: number;
  measuresEndingWithOpenNeeds: number;
  /** Sums of the record keys (`record_key(person_id)`) of the people counted in each figure above. */
  keys: {
    accompanied: number;
    newPeople: number;
    firstRightPeople: number;
    measuresEndingWithOpenNeeds: number;
  };
}

/** The sum of the people's keys (person_milestone.person_key), as a number. */
const personKeys = sql<number>`coalesce(sum(${personMilestone.personKey}), 0)`.mapWith(Number);

export const visitColumns: Dimensions = {
  structureId: visit.structureId,
  siteId: visit.siteId,
  counselorId: visit.counselorUserId,
};
const milestoneColumns: Dimensions = {
  structureId: personMilestone.structureId,
  siteId: personMilestone.firstVisitSiteId,
  counselorId: personMilestone.firstVisitCounselorId,
};

/** Distinct people seen in the period, those seen for the first time, and their path to a first right. */
export async function peopleFigures(db: Db, scope: ReportScope): Promise<PeopleFigures> {
  const m = personMilestone;
  const [[accompanied], [newPeople], [firstRight], [ending]] = await Promise.all([
    accompaniedCount(db, scope),
    db
      .select({ n: count(), k: personKeys })
      .from(m)
      .where(inScope(scope, milestoneColumns, inInstants(m.firstVisitAt, scope))),
    db
      .select({
        n: count(),
        k: personKeys,
        days: sql<
          number | null
        >`percentile_cont(0.5) within group (order by extract(epoch from ${m.firstGrantedAt} - ${m.firstConvocationAt}) / 86400)`.mapWith(
          (v) => (v === null ? null : Number(v)),
        ),
      })
      .from(m)
      .where(
        and(
          inScope(scope, milestoneColumns, inInstants(m.firstGrantedAt, scope)),
          isNotNull(m.firstConvocationAt),
        ),
      ),
    db
      .select({ n: count(), k: personKeys })
      .from(m)
      .where(and(inScope(scope, milestoneColumns, inMonths(m.measureEnd, scope)), sql`${m.openNeeds} > 0`)),
  ]);
  return {
    accompanied: accompanied?.n ?? 0,
    newPeople: newPeople?.n ?? 0,
    firstRightDays: firstRight?.days ?? null,
    firstRightPeople: firstRight?.n ?? 0,
    measuresEndingWithOpenNeeds: ending?.n ?? 0,
    keys: {
      accompanied: accompanied?.k ?? 0,
      newPeople: newPeople?.k ?? 0,
      firstRightPeople: firstRight?.k ?? 0,
      measuresEndingWithOpenNeeds: ending?.k ?? 0,
    },
  };
}

/** The period as a mask over `visit_months`, or null when it reaches outside the months it covers. */
export function visitMonthsMask(scope: ReportScope): string | null {
  const index = (day: string) =>
    (Number(day.slice(0, 4)) - VISIT_MONTHS_FROM) * 12 + Number(day.slice(5, 7)) - 1;
  const first = index(scope.fromMonth);
  const end = index(scope.untilMonth);
  if (first < 0 || end > VISIT_MONTHS) return null;
  return "0".repeat(first) + "1".repeat(end - first) + "0".repeat(VISIT_MONTHS - end);
}

/**
 * Distinct people with a visit in the period: from the visit months of each person (one narrow row
 * per person) when no site or counselor is chosen, else from the visits themselves (few then).
 */
function accompaniedCount(db: Db, scope: ReportScope): Promise<{ n: number; k: number }[]> {
  const mask = visitMonthsMask(scope);
  if (mask && !scope.siteId && !scope.counselorId)
    return db
      .select({ n: count(), k: personKeys })
      .from(personMilestone)
      .where(
        and(
          inArray(personMilestone.structureId, scope.structureIds),
          sql`(${personMilestone.visitMonths} & ${mask}::bit(${sql.raw(String(VISIT_MONTHS))})) <> ${"0".repeat(VISIT_MONTHS)}::bit(${sql.raw(String(VISIT_MONTHS))})`,
        ),
      );
  const seen = db
    .selectDistinct({ personId: visit.personId })
    .from(visit)
    .where(inScope(scope, visitColumns, inInstants(visit.startedAt, scope)))
    .as("seen");
  return db
    .select({
      n: count(),
      k: sql<number>`coalesce(sum(record_key(${seen.personId})), 0)`.mapWith(Number),
    })
    .from(seen);
}

/** Whether the site, partner and counselor filters name things of the selected structures. */
export async function knownFilters(
  db: Db,
  structureIds: string[],
  filters: { siteId?: string | undefined; partnerId?: string | undefined; counselorId?: string | undefined },
): Promise<boolean> {
  if (filters.siteId) {
    const [found] = await db
      .select({ n: count() })
      .from(site)
      .where(and(eq(site.id, filters.siteId), inArray(site.structureId, structureIds)));
    if (!found?.n) return false;
  }
  if (filters.partnerId) {
    const [found] = await db.select({ n: count() }).from(partner).where(eq(partner.id, filters.partnerId));
    if (!found?.n) return false;
  }
  if (filters.counselorId) {
    const [found] = await db
      .select({ n: count() })
      .from(membership)
      .where(
        and(
          eq(membership.userId, filters.counselorId),
          eq(membership.role, "counselor"),
          inArray(membership.structureId, structureIds),
        ),
      );
    if (!found?.n) return false;
  }
  return true;
}

/**
 * What the filters may choose over every structure the actor reads (`allowed`): sites and counselors
 * carry their structure, so the form narrows them to the structure chosen without asking again.
 * Counselors as in `filterOptions`: current ones first, former ones named so (per structure).
 */
export async function filterChoices(db: Db, allowed: string[]): Promise<FilterChoices> {
  const [options, counselors] = await Promise.all([
    filterOptions(db, allowed, allowed),
    counselorsOf(db, allowed),
  ]);
  return { structures: options.structures, sites: options.sites, partners: options.partners, counselors };
}

/**
 * The counselors of these structures, one row per structure: current ones first, former ones after
 * and named so (their past activity is in the periods read, so they stay choosable). Each is named
 * as in the structure's pickers (ADR 0009): an agent yet to sign in, under the name the direction typed.
 */
async function counselorsOf(
  db: Db,
  structureIds: string[],
): Promise<{ id: string; name: string; structureId: string }[]> {
  const name = agentNameIn(membership.structureId);
  const rows = await db
    .select({
      id: user.id,
      name,
      structureId: membership.structureId,
      current: sql<boolean>`bool_or(${membership.endedAt} is null)`.mapWith(Boolean),
    })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(and(eq(membership.role, "counselor"), inArray(membership.structureId, structureIds)))
    .groupBy(user.id, membership.structureId)
    .orderBy(sql`bool_or(${membership.endedAt} is null) desc`, asc(name), asc(user.id));
  return rows.map((c) => ({
    id: c.id,
    name: c.current ? c.name : `${c.name} (plus en fonction)`,
    structureId: c.structureId,
  }));
}

export interface FilterOptions {
  structures: { id: string; name: string }[];
  sites: { id: string; name: string; structureId: string }[];
  partners: { id: string; name: string }[];
  counselors: { id: string; name: string }[];
}

/**
 * What the filters may choose: the actor's structures, their sites, partners, counselors of one
 * structure (current ones first, then former ones named so).
 */
export async function filterOptions(db: Db, allowed: string[], selected: string[]): Promise<FilterOptions> {
  // Four small independent reads, side by side on the pool.
  const [structures, sites, partners, counselors] = await Promise.all([
    db
      .select({ id: structure.id, name: structure.name })
      .from(structure)
      .where(inArray(structure.id, allowed))
      .orderBy(asc(structure.name)),
    db
      .select({ id: site.id, name: site.name, structureId: site.structureId })
      .from(site)
      .where(inArray(site.structureId, selected))
      .orderBy(asc(site.name)),
    db.select({ id: partner.id, name: partner.name }).from(partner).orderBy(asc(partner.name)),
    selected.length !== 1 ? Promise.resolve([]) : counselorsOf(db, selected),
  ]);
  // In French alphabetical order, whatever the database's collation (« Épernay » before « Reims »).
  const french = <T extends { name: string }>(rows: T[]) => rows.sort((x, y) => byFrench(x.name, y.name));
  return {
    structures: french(structures),
    sites: french(sites),
    partners: french(partners),
    counselors: counselors.map(({ id, name }) => ({ id, name })),
  };
}
