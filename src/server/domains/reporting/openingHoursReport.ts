/**
 * The opening hours of a report scope, read from the agenda (rules, closures, absences) and shaped as
 * dashboard figures and tables, and as per-site monthly rows for the France services activity export.
 * Durations, not people: shown exact to every reader (no small-count protection).
 */
import { and, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or } from "drizzle-orm";
import { formatDuration, formatHours } from "../../../common/dateFormat";
import { isDetentionSiteKind } from "../../../common/detention/detention.schema";
import { byFrench } from "../../../common/frenchOrder";
import { pluralWord } from "../../../common/plural";
import { metaOfFigure, metaOfTable } from "../../../common/reporting/definitions";
import type { DashboardTable, Figure } from "../../../common/reporting/reporting.schema";
import { shortStructureNames } from "../../../common/structures/shortStructureName";
import type { Db } from "../../db/createDb";
import {
  counselorAbsence,
  openingRule,
  openingRuleCounselor,
  site,
  siteClosure,
  structure,
} from "../../db/schema";
import { ruleFields } from "../agenda/queries";
import { addDays, type OpeningRule, publicHolidays } from "../agenda/rules";
import { hoursByMonth, LABEL_WEEKLY_HOURS, referenceDay, weeklyMinutesBySite } from "./openingHours";
import type { ReportScope } from "./queries";
import { monthLabel, monthsOf } from "./rules";

export interface SiteHoursRow {
  structure: string;
  site: string;
  /** False for a prison or SAS: not open to the public, left out of the label's total. */
  forLabel: boolean;
  month: string;
  weeklyHours: number;
  plannedHours: number;
  heldHours: number;
}

export interface OpeningHours {
  figures: Figure[];
  tables: DashboardTable[];
  summary: string[];
  /** One row per site and month (the activity export). */
  rows: SiteHoursRow[];
}

/**
 * Hours to the hundredth: written in hours and minutes (`formatDuration`) it gives back the exact
 * minute (12.75 → « 12 h 45 »), where a tenth read « 12 h 48 » for 12 h 45 (outside review).
 */
const hours = (minutes: number): number => Math.round(minutes / 0.6) / 100;
/** Per-site columns in the monthly table up to this many sites (the export has every site). */
const MAX_SITE_COLUMNS = 8;

/**
 * Whether a site's hours count towards the label's weekly total: only the permanences open to the
 * public do, never those held inside a prison or a SAS (detainees only). The one definition of the
 * dashboard, the committee report and the activity export.
 */
export const countsForLabel = (kind: string): boolean => !isDetentionSiteKind(kind);
/** Said next to a prison's or a SAS's hours, wherever they are shown. */
export const NOT_FOR_LABEL = "hors accueil du public, non compté pour le label";
/** The monthly table's columns: the label's hours (sites open to the public), the prisons' apart. */
export const PLANNED_FOR_LABEL = "Prévues, accueil du public";
export const HELD_FOR_LABEL = "Tenues, accueil du public (label)";
export const HELD_NOT_FOR_LABEL = "Tenues en détention (hors label)";

/** The opening hours of the scope's sites (the site filter applies; partner and counselor do not). */
export async function openingHours(db: Db, scope: ReportScope, now: Date): Promise<OpeningHours> {
  const months = monthsOf(scope.fromMonth.slice(0, 7), addDays(scope.untilMonth, -1).slice(0, 7));
  const firstDay = scope.fromMonth;
  const lastDay = addDays(scope.untilMonth, -1);
  const refDay = referenceDay(lastDay.slice(0, 7), now);
  const everySite = await db
    .select({
      id: site.id,
      name: site.name,
      kind: site.kind,
      structureId: site.structureId,
      structureName: structure.name,
      departement: structure.departement,
    })
    .from(site)
    .innerJoin(structure, eq(structure.id, site.structureId))
    .where(inArray(site.structureId, scope.structureIds))
    // In French alphabetical order, whatever the database's collation (« Épernay » before « Reims »).
    .then((rows) =>
      rows.sort((a, b) => byFrench(a.structureName, b.structureName) || byFrench(a.name, b.name)),
    );
  // The site filter narrows the sites shown; the label's 24 h stays judged on every site of their
  // structure (ADR 0021), so the weekly hours of those sites are read too.
  const sites = scope.siteId ? everySite.filter((s) => s.id === scope.siteId) : everySite;
  const judged = everySite.filter((s) => sites.some((shown) => shown.structureId === s.structureId));
  const siteIds = sites.map((s) => s.id);
  const shownSite = new Set(siteIds);
  const judgedIds = judged.map((s) => s.id);
  const since = refDay < firstDay ? refDay : firstDay;
  const ruleRows =
    judgedIds.length === 0
      ? []
      : await db
          .select()
          .from(openingRule)
          .where(
            and(
              inArray(openingRule.siteId, judgedIds),
              or(
                and(
                  isNotNull(openingRule.onDate),
                  gte(openingRule.onDate, firstDay),
                  lte(openingRule.onDate, lastDay),
                ),
                and(
                  isNull(openingRule.onDate),
                  lte(openingRule.validFrom, lastDay),
                  or(isNull(openingRule.validTo), gte(openingRule.validTo, since)),
                ),
              ),
            ),
          );
  // Hours held and planned: the rules of the sites shown only.
  const ruleIds = ruleRows.filter((r) => shownSite.has(r.siteId)).map((r) => r.id);
  const [links, closures] = await Promise.all([
    ruleIds.length === 0
      ? []
      : db.select().from(openingRuleCounselor).where(inArray(openingRuleCounselor.ruleId, ruleIds)),
    siteIds.length === 0
      ? []
      : db
          .select()
          .from(siteClosure)
          .where(
            and(
              inArray(siteClosure.siteId, siteIds),
              lt(siteClosure.startsAt, scope.untilAt),
              gt(siteClosure.endsAt, scope.fromAt),
            ),
          ),
  ]);
  const userIds = [...new Set(links.map((l) => l.userId))];
  const absences =
    userIds.length === 0
      ? []
      : await db
          .select()
          .from(counselorAbsence)
          .where(
            and(
              inArray(counselorAbsence.userId, userIds),
              lt(counselorAbsence.startsAt, scope.untilAt),
              gt(counselorAbsence.endsAt, scope.fromAt),
            ),
          );
  const counselorsOf = new Map<string, string[]>();
  for (const l of links) counselorsOf.set(l.ruleId, [...(counselorsOf.get(l.ruleId) ?? []), l.userId]);
  const rules: OpeningRule[] = ruleRows.map((r) => ({
    ...ruleFields(r),
    counselorIds: counselorsOf.get(r.id) ?? [],
  }));
  const shownRules = rules.filter((r) => shownSite.has(r.siteId));

  // Holidays differ by département (Alsace-Moselle): one computation per département.
  const years = [...new Set(months.map((m) => Number(m.slice(0, 4))))];
  const siteDepartement = new Map(sites.map((s) => [s.id, s.departement]));
  const held = new Map<string, Map<string, { planned: number; held: number }>>();
  for (const departement of new Set(sites.map((s) => s.departement))) {
    const inDepartement = (siteId: string) => siteDepartement.get(siteId) === departement;
    const rulesThere = shownRules.filter((r) => inDepartement(r.siteId));
    // No rule, no hour: nothing to walk day by day (nor holidays to compute).
    if (rulesThere.length === 0) continue;
    const part = hoursByMonth({
      rules: rulesThere,
      closures: closures.filter((c) => inDepartement(c.siteId)),
      absences,
      holidays: publicHolidays(years, departement),
      months,
      now,
    });
    for (const [siteId, byMonth] of part) held.set(siteId, byMonth);
  }
  // A month's row says the weekly hours of that month (its last day, or today): not those of a
  // permanence opened later. The period's own weekly hours are its last month's.
  const weeklyByMonth = new Map(months.map((m) => [m, weeklyMinutesBySite(rules, referenceDay(m, now))]));
  return present({ sites, judged, filtered: Boolean(scope.siteId) }, months, held, weeklyByMonth);
}

type SiteRow = { id: string; name: string; kind: string; structureId: string; structureName: string };

function present(
  /** `sites` shown (the site filter applied), `judged`: every site of their structures. */
  { sites, judged, filtered }: { sites: SiteRow[]; judged: SiteRow[]; filtered: boolean },
  months: string[],
  held: Map<string, Map<string, { planned: number; held: number }>>,
  weeklyByMonth: Map<string, Map<string, number>>,
): OpeningHours {
  const weekly = weeklyByMonth.get(months[months.length - 1] ?? "") ?? new Map<string, number>();
  const structures = [...new Map(sites.map((s) => [s.structureId, s.structureName]))];
  const several = structures.length > 1;
  // Several structures: each site says its structure, by its short name (the PDF's columns and
  // legends, the exports' column headers), never two structures alike.
  const shortNames = shortStructureNames(structures.map(([, name]) => name));
  const shortName = (name: string) => shortNames.get(name) ?? name;
  const siteLabel = (s: (typeof sites)[number]) =>
    several ? `${shortName(s.structureName)} – ${s.name}` : s.name;
  const weeklyOf = (siteId: string) => weekly.get(siteId) ?? 0;
  const at = (siteId: string, month: string) => held.get(siteId)?.get(month) ?? { planned: 0, held: 0 };
  // The label counts the permanences open to the public only: a prison's or a SAS's hours are
  // shown on their own line, said not to be counted (outside review: 27 h 30 read for 24 h 30).
  // So are the hours held: a month's hours read by a committee are the label's, the prison's apart.
  // The sites are split once (label / not label), and every sum below reads that split.
  const bySplit = (list: SiteRow[]) => ({
    label: list.filter((s) => countsForLabel(s.kind)),
    closed: list.filter((s) => !countsForLabel(s.kind)),
  });
  const shown = bySplit(sites);
  const judgedLabel = judged.filter((s) => countsForLabel(s.kind));
  const weeklyCounted = (list: SiteRow[]) => list.reduce((sum, s) => sum + weeklyOf(s.id), 0);
  const heldCounted = (list: SiteRow[], inMonths: string[], what: "planned" | "held") =>
    list.reduce((sum, s) => sum + inMonths.reduce((m, month) => m + at(s.id, month)[what], 0), 0);
  const totalWeekly = weeklyCounted(shown.label);
  const closedWeekly = weeklyCounted(shown.closed);
  const totalHeld = heldCounted(shown.label, months, "held");
  const closedHeld = heldCounted(shown.closed, months, "held");

  const structureTotals = structures.map(([id, name]) => {
    const minutes = weeklyCounted(judgedLabel.filter((s) => s.structureId === id));
    return { name, minutes, met: minutes >= LABEL_WEEKLY_HOURS * 60 };
  });
  const verdict = (met: boolean) => (met ? "seuil de 24 h atteint" : "seuil de 24 h non atteint");
  // Under a site filter the total is still the structure's, every site counted: the threshold is
  // judged per structure, never per site (outside review: a site's 7 h read "non atteint").
  const totalLabel = (name: string, met: boolean) =>
    filtered
      ? `Total de la structure, tous lieux ouverts au public (${verdict(met)})`
      : several
        ? `Total ${shortName(name)}, lieux ouverts au public (${verdict(met)})`
        : `Total des lieux ouverts au public (${verdict(met)})`;
  const withHours = sites.filter((s) => weeklyOf(s.id) > 0 || held.has(s.id));
  const siteColumns = withHours.length > 1 && withHours.length <= MAX_SITE_COLUMNS ? withHours : [];
  const closedShown = withHours.some((s) => !countsForLabel(s.kind));

  const tables: DashboardTable[] = [
    {
      id: "openingHoursWeekly",
      ...metaOfTable("openingHoursWeekly"),
      title: `Heures d'ouverture par semaine et par lieu (label France services : ${LABEL_WEEKLY_HOURS} h minimum par structure)`,
      chart: "bar",
      columns: [{ label: "Heures par semaine", kind: "hours" }],
      rows: [
        ...withHours.map((s) => ({
          label: countsForLabel(s.kind) ? siteLabel(s) : `${siteLabel(s)} (${NOT_FOR_LABEL})`,
          values: [hours(weeklyOf(s.id))],
        })),
        ...structureTotals.map((t) => ({ label: totalLabel(t.name, t.met), values: [hours(t.minutes)] })),
      ],
    },
    {
      id: "openingHoursHeld",
      ...metaOfTable("openingHoursHeld"),
      title: "Heures d'ouverture tenues par mois (permanences moins fermetures et absences)",
      chart: "line",
      columns: [
        { label: PLANNED_FOR_LABEL, kind: "hours" },
        { label: HELD_FOR_LABEL, kind: "hours" },
        ...(closedShown ? [{ label: HELD_NOT_FOR_LABEL, kind: "hours" as const }] : []),
        ...siteColumns.map((s) => ({
          label: `Tenues – ${siteLabel(s)}${countsForLabel(s.kind) ? "" : " (hors label)"}`,
          kind: "hours" as const,
        })),
      ],
      rows: months.map((month) => ({
        label: monthLabel(month),
        values: [
          hours(heldCounted(shown.label, [month], "planned")),
          hours(heldCounted(shown.label, [month], "held")),
          ...(closedShown ? [hours(heldCounted(shown.closed, [month], "held"))] : []),
          ...siteColumns.map((s) => hours(at(s.id, month).held)),
        ],
      })),
    },
  ];
  // A prison or SAS chosen alone: both figures read 0 h, and say why on every format (a bare « 0 h »
  // read as a site never opened, steering review).
  const closedChosen = filtered && sites.length === 1 && sites.every((s) => !countsForLabel(s.kind));
  const why = closedChosen ? ` (lieu choisi ${NOT_FOR_LABEL})` : "";
  const figures: Figure[] = [
    {
      id: "weeklyOpeningHours",
      ...metaOfFigure("weeklyOpeningHours"),
      label: `Heures d'ouverture par semaine${why}`,
      kind: "hours",
      value: hours(totalWeekly),
    },
    {
      id: "heldOpeningHours",
      ...metaOfFigure("heldOpeningHours"),
      label: `Heures d'ouverture tenues sur la période${why}`,
      kind: "hours",
      value: hours(totalHeld),
    },
  ];
  const met = structureTotals.filter((t) => t.met).length;
  // "0 h d'ouverture a été tenue", "1 h 30 … a été tenue", "2 h … ont été tenues" (singular under 2).
  const heldVerb = pluralWord(totalHeld / 60, "a été tenue", "ont été tenues");
  const threshold = formatDuration(LABEL_WEEKLY_HOURS * 60);
  const whole = structureTotals[0];
  const closedNote =
    closedWeekly > 0 || closedHeld > 0
      ? [
          `Les permanences tenues en établissement pénitentiaire (${formatHours(closedWeekly)} par semaine, ${formatHours(closedHeld)} tenues sur la période) ne sont pas ouvertes au public : elles ne comptent ni pour le seuil du label ni dans le chiffre des heures d'ouverture tenues.`,
        ]
      : [];
  const summary =
    structureTotals.length === 0
      ? []
      : [
          filtered && whole && sites[0]
            ? `Le lieu choisi, ${sites[0].name}, est ouvert ${formatHours(weeklyOf(sites[0].id))} par semaine${countsForLabel(sites[0].kind) ? "" : ` (${NOT_FOR_LABEL})`} ; la structure, tous lieux ouverts au public confondus, ${formatHours(whole.minutes)} : le seuil de ${threshold} du label France services, jugé pour toute la structure, ${whole.met ? "est" : "n'est pas"} atteint ; ${formatHours(totalHeld + closedHeld)} d'ouverture ${pluralWord((totalHeld + closedHeld) / 60, "a été tenue", "ont été tenues")} à ce lieu sur la période${countsForLabel(sites[0].kind) ? "" : ", non comptées pour le label"}.`
            : several
              ? `${met} structure${met > 1 ? "s" : ""} sur ${structureTotals.length} ouvre${met > 1 ? "nt" : ""} au moins ${threshold} par semaine, comme le demande le label France services ; ${formatHours(totalHeld)} d'ouverture ${heldVerb} sur la période.`
              : `Les lieux ouverts au public le sont ${formatHours(totalWeekly)} par semaine : le seuil de ${threshold} du label France services ${met ? "est" : "n'est pas"} atteint ; ${formatHours(totalHeld)} d'ouverture ${heldVerb} sur la période.`,
          ...closedNote,
        ];
  const rows: SiteHoursRow[] = sites.flatMap((s) =>
    months.map((month) => ({
      structure: s.structureName,
      site: s.name,
      forLabel: countsForLabel(s.kind),
      month,
      weeklyHours: hours(weeklyByMonth.get(month)?.get(s.id) ?? 0),
      plannedHours: hours(at(s.id, month).planned),
      heldHours: hours(at(s.id, month).held),
    })),
  );
  return { figures, tables, summary, rows };
}
