import { and, asc, count, eq, gte, inArray, isNotNull, lt, type SQL, sql, sum } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../../db/createDb";
import {
  demarcheType,
  measure,
  membership,
  partner,
  personMilestone,
  site,
  statConvocation,
  statDemarche,
  statNeed,
  statOrientation,
  statVisit,
  structure,
  user,
  visit,
} from "../../db/schema";

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

const num = (column: SQL | ReturnType<typeof sum>) => sql<number>`coalesce(${column}, 0)`.mapWith(Number);
const monthText = (column: AnyPgColumn) => sql<string>`to_char(${column}, 'YYYY-MM')`;

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

export type ConvocationRow = { month: string; status: string; n: number };
export function convocationCounts(db: Db, scope: ReportScope): Promise<ConvocationRow[]> {
  const t = statConvocation;
  return db
    .select({ month: monthText(t.month), status: t.status, n: num(sum(t.n)) })
    .from(t)
    .where(inScope(scope, t, inMonths(t.month, scope)))
    .groupBy(t.month, t.status)
    .orderBy(asc(t.month));
}

export type VisitRow = { month: string; autonomy: string; n: number; minutes: number };
export function visitCounts(db: Db, scope: ReportScope): Promise<VisitRow[]> {
  const t = statVisit;
  return db
    .select({
      month: monthText(t.month),
      autonomy: t.autonomy,
      n: num(sum(t.n)),
      minutes: num(sum(t.minutes)),
    })
    .from(t)
    .where(inScope(scope, t, inMonths(t.month, scope)))
    .groupBy(t.month, t.autonomy)
    .orderBy(asc(t.month));
}

export type DemarcheRow = {
  month: string;
  partner: string | null;
  category: string | null;
  helpLevel: string;
  status: string;
  n: number;
  minutes: number;
};
export function demarcheCounts(db: Db, scope: ReportScope): Promise<DemarcheRow[]> {
  const t = statDemarche;
  return db
    .select({
      month: monthText(t.month),
      partner: partner.name,
      category: sql<string | null>`${demarcheType.category}::text`,
      helpLevel: t.helpLevel,
      status: t.status,
      n: num(sum(t.n)),
      minutes: num(sum(t.minutes)),
    })
    .from(t)
    .leftJoin(demarcheType, eq(demarcheType.id, t.demarcheTypeId))
    .leftJoin(partner, eq(partner.id, demarcheType.partnerId))
    .where(inScope(scope, { ...t, partnerId: demarcheType.partnerId }, inMonths(t.month, scope)))
    .groupBy(t.month, partner.name, demarcheType.category, t.helpLevel, t.status)
    .orderBy(asc(t.month));
}

export type OrientationRow = {
  target: string;
  partner: string | null;
  status: string;
  n: number;
  answered: number;
  answerHours: number;
};
export function orientationCounts(db: Db, scope: ReportScope): Promise<OrientationRow[]> {
  const t = statOrientation;
  return db
    .select({
      target: t.target,
      partner: partner.name,
      status: t.status,
      n: num(sum(t.n)),
      answered: num(sum(t.answered)),
      answerHours: num(sum(t.answerHours)),
    })
    .from(t)
    .leftJoin(partner, eq(partner.id, t.partnerId))
    .where(inScope(scope, t, inMonths(t.month, scope)))
    .groupBy(t.target, partner.name, t.status);
}

export type NeedRow = { month: string; domain: string; change: string; n: number };
export function needCounts(db: Db, scope: ReportScope): Promise<NeedRow[]> {
  const t = statNeed;
  return db
    .select({ month: monthText(t.month), domain: t.domain, change: t.change, n: num(sum(t.n)) })
    .from(t)
    .where(and(inScope(scope, t, inMonths(t.month, scope)), inArray(t.change, ["identified", "resolved"])))
    .groupBy(t.month, t.domain, t.change)
    .orderBy(asc(t.month));
}

export interface PeopleFigures {
  accompanied: number;
  newPeople: number;
  firstRightDays: number | null;
  firstRightPeople: number;
  measuresEndingWithOpenNeeds: number;
}

const visitColumns: Dimensions = {
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
  const [accompanied] = await db
    .select({ n: sql<number>`count(distinct ${visit.personId})`.mapWith(Number) })
    .from(visit)
    .where(inScope(scope, visitColumns, inInstants(visit.startedAt, scope)));
  const [newPeople] = await db
    .select({ n: count() })
    .from(m)
    .where(inScope(scope, milestoneColumns, inInstants(m.firstVisitAt, scope)));
  const [firstRight] = await db
    .select({
      n: count(),
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
    );
  const [ending] = await db
    .select({ n: sql<number>`count(distinct ${m.personId})`.mapWith(Number) })
    .from(measure)
    .innerJoin(m, eq(m.personId, measure.personId))
    .where(and(inScope(scope, milestoneColumns, inMonths(measure.endDate, scope)), sql`${m.openNeeds} > 0`));
  return {
    accompanied: accompanied?.n ?? 0,
    newPeople: newPeople?.n ?? 0,
    firstRightDays: firstRight?.days ?? null,
    firstRightPeople: firstRight?.n ?? 0,
    measuresEndingWithOpenNeeds: ending?.n ?? 0,
  };
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

export interface FilterOptions {
  structures: { id: string; name: string }[];
  sites: { id: string; name: string; structureId: string }[];
  partners: { id: string; name: string }[];
  counselors: { id: string; name: string }[];
}

/** What the filters may choose: the actor's structures, their sites, partners, counselors of one structure. */
export async function filterOptions(db: Db, allowed: string[], selected: string[]): Promise<FilterOptions> {
  const structures = await db
    .select({ id: structure.id, name: structure.name })
    .from(structure)
    .where(inArray(structure.id, allowed))
    .orderBy(asc(structure.name));
  const sites = await db
    .select({ id: site.id, name: site.name, structureId: site.structureId })
    .from(site)
    .where(inArray(site.structureId, selected))
    .orderBy(asc(site.name));
  const partners = await db
    .select({ id: partner.id, name: partner.name })
    .from(partner)
    .orderBy(asc(partner.name));
  const counselors =
    selected.length !== 1
      ? []
      : await db
          .selectDistinct({ id: user.id, name: user.displayName })
          .from(membership)
          .innerJoin(user, eq(user.id, membership.userId))
          .where(and(eq(membership.role, "counselor"), inArray(membership.structureId, selected)))
          .orderBy(asc(user.displayName));
  return { structures, sites, partners, counselors };
}

export type ActivityRow = {
  site: string | null;
  month: string;
  partner: string | null;
  helpLevel: string;
  n: number;
};
/** The France services activity export: démarches per site, month, partner and help level. */
export function activityCounts(db: Db, scope: ReportScope): Promise<ActivityRow[]> {
  const t = statDemarche;
  return db
    .select({
      site: site.name,
      month: monthText(t.month),
      partner: partner.name,
      helpLevel: t.helpLevel,
      n: num(sum(t.n)),
    })
    .from(t)
    .leftJoin(site, eq(site.id, t.siteId))
    .leftJoin(demarcheType, eq(demarcheType.id, t.demarcheTypeId))
    .leftJoin(partner, eq(partner.id, demarcheType.partnerId))
    .where(inScope(scope, { ...t, partnerId: demarcheType.partnerId }, inMonths(t.month, scope)))
    .groupBy(site.name, t.month, partner.name, t.helpLevel)
    .orderBy(asc(site.name), asc(t.month), asc(partner.name), asc(t.helpLevel));
}
