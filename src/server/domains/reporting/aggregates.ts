/**
 * The steering aggregates, read from the rollups (ADR 0006). With a site or counselor filter, the
 * same query reads, in place of a rollup, the same columns computed from that site's or counselor's
 * source rows (few, by index): one query per figure whichever the source.
 */
import { type SQL, sql } from "drizzle-orm";
import { byFrench } from "../../../common/frenchOrder";
import { type Db, rowsOf as rows } from "../../db/createDb";
import type { ReportScope } from "./queries";

const ids = (list: string[]) => `{${list.join(",")}}`;

/** The source alias `s`: the rollup, or — with a site or counselor filter — the source rows shaped like it. */
function source(scope: ReportScope, rollup: string, sourceRows: SQL, rollupHasSite = false): SQL {
  const narrow = scope.counselorId || (scope.siteId && !rollupHasSite);
  return narrow ? sql`(${sourceRows}) s` : sql.raw(`${rollup} s`);
}

/** Conditions on source rows: structures, period, and the site and counselor when chosen. */
export function rowsWhere(
  scope: ReportScope,
  c: { structure: string; at: string; site: string; by: string },
): SQL {
  return sql`${sql.raw(c.structure)} = any(${ids(scope.structureIds)}::uuid[]) and ${period(c.at, scope)}
    ${scope.siteId ? sql`and ${sql.raw(c.site)} = ${scope.siteId}::uuid` : sql``}
    ${scope.counselorId ? sql`and ${sql.raw(c.by)} = ${scope.counselorId}::uuid` : sql``}`;
}

/** Structures, months and site of the scope, on the source alias `s`. */
function where(scope: ReportScope, partnerColumn?: SQL): SQL {
  return sql`s.structure_id = any(${ids(scope.structureIds)}::uuid[])
    and s.month >= ${scope.fromMonth}::date and s.month < ${scope.untilMonth}::date
    ${scope.siteId ? sql`and s.site_id = ${scope.siteId}::uuid` : sql``}
    ${scope.partnerId && partnerColumn ? sql`and ${partnerColumn} = ${scope.partnerId}::uuid` : sql``}`;
}

const period = (column: string, scope: ReportScope) =>
  sql`${sql.raw(column)} >= ${scope.fromAt.toISOString()}::timestamptz and ${sql.raw(column)} < ${scope.untilAt.toISOString()}::timestamptz`;

const demarcheRows = (scope: ReportScope): SQL => sql`
  select stat_month(d.created_at) as month, d.structure_id, d.site_id, d.demarche_type_id, t.partner_id,
    d.help_level::text as help_level, d.status::text as status, 1 as n, record_key(d.id) as key_sum,
    (d.help_level = 'escalated' or d.status = 'reoriented')::int as escalated,
    case when d.help_level = 'escalated' or d.status = 'reoriented' then record_key(d.id) else 0 end as escalated_key_sum
  from demarche d left join demarche_type t on t.id = d.demarche_type_id
  where ${rowsWhere(scope, { structure: "d.structure_id", at: "d.created_at", site: "d.site_id", by: "d.created_by" })}`;

export type ConvocationRow = { month: string; status: string; n: number; keySum: number };
/** Convocations have no counselor: the counselor filter does not apply to them. */
export async function convocationCounts(db: Db, scope: ReportScope): Promise<ConvocationRow[]> {
  const found = await rows<{ month: string; status: string; n: string; key_sum: string }>(
    db,
    sql`select to_char(s.month, 'YYYY-MM') as month, s.status, sum(s.n) as n, sum(s.key_sum) as key_sum
      from stat_convocation s where ${where(scope)} group by s.month, s.status order by s.month`,
  );
  return found.map((r) => ({ month: r.month, status: r.status, n: Number(r.n), keySum: Number(r.key_sum) }));
}

export type VisitRow = { month: string; autonomy: string; n: number; keySum: number; minutes: number };
export async function visitCounts(db: Db, scope: ReportScope): Promise<VisitRow[]> {
  const from = source(
    scope,
    "stat_visit",
    sql`select stat_month(v.started_at) as month, v.structure_id, v.site_id, v.autonomy::text as autonomy,
      1 as n, record_key(v.id) as key_sum, v.duration_minutes as minutes from visit v
      where ${rowsWhere(scope, { structure: "v.structure_id", at: "v.started_at", site: "v.site_id", by: "v.counselor_user_id" })}`,
    true,
  );
  const found = await rows<{ month: string; autonomy: string; n: string; key_sum: string; minutes: string }>(
    db,
    sql`select to_char(s.month, 'YYYY-MM') as month, s.autonomy, sum(s.n) as n, sum(s.key_sum) as key_sum,
        sum(s.minutes) as minutes
      from ${from} where ${where(scope)} group by s.month, s.autonomy order by s.month`,
  );
  return found.map((r) => ({
    month: r.month,
    autonomy: r.autonomy,
    n: Number(r.n),
    keySum: Number(r.key_sum),
    minutes: Number(r.minutes),
  }));
}

export type DemarcheTypeRow = {
  month: string;
  partner: string | null;
  category: string | null;
  n: number;
  keySum: number;
  escalated: number;
  escalatedKeySum: number;
};
/** Démarches per month started and type: partner and category, escalated or reoriented. */
export async function demarcheTypeCounts(db: Db, scope: ReportScope): Promise<DemarcheTypeRow[]> {
  const found = await rows<{
    month: string;
    partner: string | null;
    category: string | null;
    n: string;
    key_sum: string;
    escalated: string;
    escalated_key_sum: string;
  }>(
    db,
    sql`select to_char(s.month, 'YYYY-MM') as month, p.name as partner, ty.category::text as category,
        sum(s.n) as n, sum(s.key_sum) as key_sum, sum(s.escalated) as escalated, sum(s.escalated_key_sum) as escalated_key_sum
      from ${source(scope, "stat_demarche_type", demarcheRows(scope))}
      left join demarche_type ty on ty.id = s.demarche_type_id left join partner p on p.id = ty.partner_id
      where ${where(scope, sql`ty.partner_id`)}
      group by s.month, p.name, ty.category order by s.month`,
  );
  return found.map((r) => ({
    month: r.month,
    partner: r.partner,
    category: r.category,
    n: Number(r.n),
    keySum: Number(r.key_sum),
    escalated: Number(r.escalated),
    escalatedKeySum: Number(r.escalated_key_sum),
  }));
}

export type OutcomeRow = {
  month: string;
  partner: string | null;
  status: string;
  n: number;
  keySum: number;
};
/**
 * Démarches that reached their outcome (granted, rejected, abandoned, reoriented) in the period, per
 * month of the outcome, partner and outcome (ADR 0018): a late grant counts when it happens.
 */
export async function outcomeCounts(db: Db, scope: ReportScope): Promise<OutcomeRow[]> {
  const from = source(
    scope,
    "stat_demarche_outcome",
    sql`select stat_month(d.outcome_at) as month, d.structure_id, d.site_id, d.demarche_type_id,
      d.status::text as status, 1 as n, record_key(d.id) as key_sum
      from demarche d
      where d.outcome_at is not null and ${rowsWhere(scope, { structure: "d.structure_id", at: "d.outcome_at", site: "d.site_id", by: "d.created_by" })}`,
  );
  const found = await rows<{
    month: string;
    partner: string | null;
    status: string;
    n: string;
    key_sum: string;
  }>(
    db,
    sql`select to_char(s.month, 'YYYY-MM') as month, p.name as partner, s.status, sum(s.n) as n,
        sum(s.key_sum) as key_sum
      from ${from}
      left join demarche_type ty on ty.id = s.demarche_type_id left join partner p on p.id = ty.partner_id
      where ${where(scope, sql`ty.partner_id`)}
      group by s.month, p.name, s.status order by s.month`,
  );
  return found.map((r) => ({
    month: r.month,
    partner: r.partner,
    status: r.status,
    n: Number(r.n),
    keySum: Number(r.key_sum),
  }));
}

export type BreakdownRow = { key: string; n: number; keySum: number };
/** Démarches by help level or by status (their own rollups: partner and site, no type). */
export async function demarcheBreakdown(
  db: Db,
  scope: ReportScope,
  by: "help_level" | "status",
): Promise<BreakdownRow[]> {
  const found = await rows<{ key: string; n: string; key_sum: string }>(
    db,
    sql`select s.${sql.raw(by)} as key, sum(s.n) as n, sum(s.key_sum) as key_sum
      from ${source(scope, by === "help_level" ? "stat_demarche_help" : "stat_demarche_status", demarcheRows(scope))}
      where ${where(scope, sql`s.partner_id`)} group by s.${sql.raw(by)}`,
  );
  return found.map((r) => ({ key: r.key, n: Number(r.n), keySum: Number(r.key_sum) }));
}

export type ActivityRow = {
  structure: string;
  site: string | null;
  month: string;
  partner: string | null;
  helpLevel: string;
  n: number;
  keySum: number;
};
/**
 * The France services activity export: démarches per structure, site, month, partner and help level
 * (from the démarches). Grouped by the site itself, not its name: two structures' sites of the same
 * name, and their démarches without a site, stay apart.
 */
export async function activityCounts(db: Db, scope: ReportScope): Promise<ActivityRow[]> {
  const found = await rows<{
    structure: string;
    site: string | null;
    month: string;
    partner: string | null;
    help_level: string;
    n: string;
    key_sum: string;
  }>(
    db,
    sql`select st.name as structure, si.name as site, to_char(s.month, 'YYYY-MM') as month, p.name as partner,
        s.help_level, sum(s.n) as n, sum(s.key_sum) as key_sum
      from (${demarcheRows(scope)}) s
      join structure st on st.id = s.structure_id
      left join site si on si.id = s.site_id left join partner p on p.id = s.partner_id
      where ${where(scope, sql`s.partner_id`)}
      group by st.id, st.name, s.site_id, si.name, s.month, p.name, s.help_level`,
  );
  // Sorted here, in French (the database's collation may put « Épernay » after « Reims »); the
  // démarches without a site (« Hors permanence ») last.
  return found
    .map((r) => ({
      structure: r.structure,
      site: r.site,
      month: r.month,
      partner: r.partner,
      helpLevel: r.help_level,
      n: Number(r.n),
      keySum: Number(r.key_sum),
    }))
    .sort(
      (a, b) =>
        byFrenchName(a.structure, b.structure) ||
        byFrenchName(a.site, b.site) ||
        a.month.localeCompare(b.month) ||
        byFrenchName(a.partner, b.partner) ||
        a.helpLevel.localeCompare(b.helpLevel),
    );
}

/** Names in French alphabetical order, none (null) last. */
function byFrenchName(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return byFrench(a, b);
}

/** An orientation's structure, month (of creation), site (its own) and counselor (its author). */
export const orientationColumns = {
  structure: "o.structure_id",
  at: "o.created_at",
  site: "o.site_id",
  by: "o.created_by",
};

export type OrientationRow = {
  target: string;
  partner: string | null;
  status: string;
  n: number;
  keySum: number;
  answered: number;
  answeredKeySum: number;
  answerHours: number;
};
export async function orientationCounts(db: Db, scope: ReportScope): Promise<OrientationRow[]> {
  const from = source(
    scope,
    "stat_orientation",
    sql`select stat_month(o.created_at) as month, o.structure_id, o.site_id, o.partner_id,
      o.target::text as target, o.status::text as status, 1 as n, record_key(o.id) as key_sum,
      (o.answered_at is not null)::int as answered,
      case when o.answered_at is not null then record_key(o.id) else 0 end as answered_key_sum,
      coalesce(extract(epoch from o.answered_at - o.sent_at) / 3600.0, 0) as answer_hours
      from orientation o
      where ${rowsWhere(scope, orientationColumns)}`,
  );
  const found = await rows<{
    target: string;
    partner: string | null;
    status: string;
    n: string;
    key_sum: string;
    answered: string;
    answered_key_sum: string;
    answer_hours: string | number;
  }>(
    db,
    sql`select s.target, p.name as partner, s.status, sum(s.n) as n, sum(s.key_sum) as key_sum,
        sum(s.answered) as answered, sum(s.answered_key_sum) as answered_key_sum, sum(s.answer_hours) as answer_hours
      from ${from} left join partner p on p.id = s.partner_id
      where ${where(scope, sql`s.partner_id`)} group by s.target, p.name, s.status`,
  );
  return found.map((r) => ({
    target: r.target,
    partner: r.partner,
    status: r.status,
    n: Number(r.n),
    keySum: Number(r.key_sum),
    answered: Number(r.answered),
    answeredKeySum: Number(r.answered_key_sum),
    answerHours: Number(r.answer_hours),
  }));
}

export type NeedRow = { month: string; domain: string; change: string; n: number; keySum: number };
export async function needCounts(db: Db, scope: ReportScope): Promise<NeedRow[]> {
  const from = source(
    scope,
    "stat_need",
    sql`select stat_month(a.assessed_at) as month, a.structure_id, v.site_id, a.domain, a.change, 1 as n,
      record_key(a.id) as key_sum
      from need_assessment a left join visit v on v.id = a.visit_id
      where ${rowsWhere(scope, { structure: "a.structure_id", at: "a.assessed_at", site: "v.site_id", by: "a.assessed_by" })}`,
  );
  const found = await rows<{ month: string; domain: string; change: string; n: string; key_sum: string }>(
    db,
    sql`select to_char(s.month, 'YYYY-MM') as month, s.domain, s.change, sum(s.n) as n, sum(s.key_sum) as key_sum
      from ${from}
      where ${where(scope)} and s.change in ('identified', 'resolved')
      group by s.month, s.domain, s.change order by s.month`,
  );
  return found.map((r) => ({
    month: r.month,
    domain: r.domain,
    change: r.change,
    n: Number(r.n),
    keySum: Number(r.key_sum),
  }));
}
