/**
 * Pure rules of the steering figures: the small-count protection, the months of a period, the
 * written summary (no I/O; tested in rules.test.ts). The figures themselves: dashboard.ts.
 */
import { type DashboardTable, type Figure, formatValue } from "../../../common/reporting/reporting.schema";
import { protectCount, SMALL_COUNT_THRESHOLD } from "../structures/rules";
import type { Computed } from "./dashboard";

/**
 * A computed value before presentation: a count, or a ratio with the counts it rests on. `k`,
 * `partK`, `baseK`: sums of the record keys of the records counted (cellKey.ts), 0 when not known.
 */
export type Cell =
  | { n: number; k: number }
  | { value: number | null; part: number; base: number; partK: number; baseK: number };

export const count = (n: number, k = 0): Cell => ({ n, k });
export function ratio(
  part: number,
  base: number,
  scale = 1,
  keys: { part?: number; base?: number } = {},
): Cell {
  return {
    value: base === 0 ? null : (part / base) * scale,
    part,
    base,
    partK: keys.part ?? 0,
    baseK: keys.base ?? 0,
  };
}

const isSmall = (n: number): boolean => protectCount(n) === null;

/**
 * Small-count protection: when `protect`, a count between 1 and 4 is hidden (shown "< 5"), and so is
 * a ratio resting on such a count or on fewer than 5 people, which would reveal one.
 */
export function present(cell: Cell, protect: boolean): number | null {
  if ("n" in cell) return protect ? protectCount(cell.n) : cell.n;
  if (cell.value === null) return null;
  if (protect && (cell.base < SMALL_COUNT_THRESHOLD || isSmall(cell.part))) return null;
  return Math.round(cell.value * 10) / 10;
}

/** The months of a period, "YYYY-MM", first to last. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split("-").map(Number) as [number, number];
  for (let key = from; key <= to; ) {
    months.push(key);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
    key = `${year}-${String(month).padStart(2, "0")}`;
  }
  return months;
}

/** First day of the month (YYYY-MM-01) and first day of the month after. */
export function monthBounds(from: string, to: string): { fromMonth: string; untilMonth: string } {
  const [year, month] = to.split("-").map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, "0")}`;
  return { fromMonth: `${from}-01`, untilMonth: `${next}-01` };
}

const monthFormat = new Intl.DateTimeFormat("fr-FR", { month: "long", year: "numeric", timeZone: "UTC" });
export const monthLabel = (key: string): string => monthFormat.format(new Date(`${key}-15T12:00:00Z`));

/** The dashboard as shown: every cell through the small-count protection. */
export function presentDashboard(
  computed: Computed,
  protect: boolean,
): { figures: Figure[]; tables: DashboardTable[] } {
  return {
    figures: computed.figures.map(({ cell, ...rest }) => ({ ...rest, value: present(cell, protect) })),
    tables: computed.tables.map((t) => ({
      ...t,
      rows: t.rows.map((r) => ({ label: r.label, values: r.values.map((c) => present(c, protect)) })),
    })),
  };
}

/** A short summary in French for the committee, from the shown (protected) figures. */
export function writeSummary(
  period: { from: string; to: string },
  figures: Figure[],
  tables: DashboardTable[],
): string[] {
  const f = (id: string): string => {
    const figure = figures.find((x) => x.id === id);
    return figure ? formatValue(figure.value, figure.kind) : "";
  };
  const lines = [
    `Du début de ${monthLabel(period.from)} à la fin de ${monthLabel(period.to)}, ${f("accompanied")} personnes ont été accompagnées (${f("newPeople")} nouvelles) au cours de ${f("visits")} visites.`,
    `${f("demarches")} démarches ont été engagées (${f("demarchesPerPerson")} par personne) ; ${f("onSiteShare")} ont été traitées sur place et ${f("escalatedShare")} transmises ou réorientées. Parmi les démarches terminées sur la période, ${f("grantedShare")} ont ouvert un droit.`,
    `Le taux d'absence aux convocations est de ${f("noShowRate")} ; les partenaires répondent aux sollicitations en ${f("answerDays")} en moyenne.`,
  ];
  const first = (id: string) => tables.find((t) => t.id === id)?.rows.find((r) => (r.values[0] ?? 0) !== 0);
  const topPartner = first("demarchesByPartner");
  if (topPartner)
    lines.push(
      `Premier partenaire sollicité : ${topPartner.label} (${formatValue(topPartner.values[0] ?? null, "count")} démarches).`,
    );
  const topNeed = first("needsByDomain");
  if (topNeed) lines.push(`Besoin le plus souvent identifié : ${topNeed.label.toLowerCase()}.`);
  return lines;
}
