/**
 * Pure rules of the steering figures: the small-count protection, the months of a period, the
 * written summary (no I/O; tested in rules.test.ts). The figures themselves: dashboard.ts.
 */
import { frenchList } from "../../../common/frenchList";
import { byFrench } from "../../../common/frenchOrder";
import {
  type OrientationStatus,
  orientationStatusLabels,
} from "../../../common/orientations/orientations.schema";
import { capitalize } from "../../../common/plural";
import { metaOfFigure, metaOfTable } from "../../../common/reporting/definitions";
import type { DashboardTable, Figure, ValueKind } from "../../../common/reporting/reporting.schema";
import { protectCount, SMALL_COUNT_THRESHOLD } from "../structures/rules";
import { perturbedCount } from "./cellKey";
import type { Computed } from "./dashboard";

/** The statuses of an orientation that received its partner's answer (its `answered_at` is set). */
const ANSWERED_STATUSES: OrientationStatus[] = ["accepted", "refused", "completed"];

/**
 * A computed value before presentation: a count, or a ratio with the counts it rests on (`scale`:
 * 100 for a percentage). `k`, `partK`, `baseK`: sums of the record keys of the records counted
 * (cellKey.ts), 0 when not known.
 */
export type Cell =
  | { n: number; k: number }
  | { value: number | null; part: number; base: number; partK: number; baseK: number; scale?: number };

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
    scale,
  };
}

const isSmall = (n: number): boolean => protectCount(n) === null;
/** One decimal; a value rounding to zero is 0, never -0 (which the files and the report would print « -0 »). */
const oneDecimal = (x: number): number => Math.round(x * 10) / 10 || 0;
/** Averages of durations (and the median delay): their part is not a count of people. */
const isAverage = (kind: ValueKind): boolean => kind === "minutes" || kind === "days";

/**
 * The value a reader is shown. Exact when `protect` is false (the direction of every structure in
 * scope, who may read the nominative lists anyway). Otherwise (steering) the cell-key method
 * (ADR 0019): a count is perturbed by a deterministic function of its records' keys (cellKey.ts) and
 * shown "< 5" (null) when the perturbed value is between 1 and 4; a ratio is computed from its
 * perturbed counts, and hidden ("non significatif") when its perturbed base is under 5 or its
 * perturbed part between 1 and 4; an average of durations is exact but hidden on a perturbed base
 * under 5. The same cell always gives the same value.
 */
export function present(cell: Cell, protect: boolean, kind: ValueKind = "count"): number | null {
  if ("n" in cell) return protect ? protectCount(perturbedCount(cell.n, cell.k)) : cell.n;
  if (cell.value === null) return null;
  if (!protect) return oneDecimal(cell.value);
  const base = perturbedCount(cell.base, cell.baseK);
  if (base < SMALL_COUNT_THRESHOLD) return null;
  if (isAverage(kind)) return oneDecimal(cell.value);
  let part = perturbedCount(cell.part, cell.partK);
  if (isSmall(part)) return null;
  if (kind === "percent") part = Math.min(part, base);
  return oneDecimal((part / base) * (cell.scale ?? 1));
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

/**
 * Protected figures that a reader knows to be parts of one another, made to agree (ADR 0019,
 * addendum): perturbed each on its own they could read "60 people, of whom 62 new", "< 5 people, of
 * whom 9 new", or shares of one base summing to 122 %. A part never exceeds its whole: the new and the
 * returning people are each their own perturbed cell, at most the people accompanied as shown, and
 * "< 5" when those are "< 5" — so each stays within 4 of the truth, like every count (a part derived as
 * whole − other part would be off by up to 8); they need not add up, like a table and its total. The
 * on-site and escalated shares, when both are shown, are rescaled to sum to 100 % (below). Derived
 * from shown values, these tell nothing more.
 */
export function consistent<T extends { id: string; value: number | null }>(figures: T[]): T[] {
  const value = (id: string) => figures.find((f) => f.id === id)?.value;
  const accompanied = value("accompanied");
  const partOfAccompanied = (own: number | null): number | null => {
    if (own === null || own === 0 || accompanied === undefined) return own;
    if (accompanied === null) return null;
    return Math.min(own, accompanied);
  };
  // Both shares rest on one perturbed base: their own values are O'/B' and E'/B'. Shown both, they are
  // O'/(O' + E') and the rest, so they sum to 100 % and each is 0 only when its part is; one hidden
  // ("non significatif": its perturbed part 1 to 4, or the base under 5) stays hidden.
  const onSite = value("onSiteShare");
  const escalated = value("escalatedShare");
  const bothShown = typeof onSite === "number" && typeof escalated === "number" && onSite + escalated > 0;
  const onSiteShown = bothShown ? oneDecimal((onSite / (onSite + escalated)) * 100) : onSite;
  return figures.map((f) => {
    if (f.id === "newPeople" || f.id === "returningPeople")
      return { ...f, value: partOfAccompanied(f.value) };
    if (bothShown && f.id === "onSiteShare") return { ...f, value: onSiteShown };
    if (bothShown && f.id === "escalatedShare" && typeof onSiteShown === "number")
      return { ...f, value: oneDecimal(100 - onSiteShown) };
    return f;
  });
}

/** A protected ranked table's order: the first value shown, highest first ("< 5", null, last), then the label. */
const byShownCount = (a: { label: string; values: (number | null)[] }, b: typeof a): number =>
  (b.values[0] ?? 0) - (a.values[0] ?? 0) || byFrench(a.label, b.label);

/** The dashboard as shown: every cell through the small-count protection (exact when not `protect`). */
export function presentDashboard(
  computed: Computed,
  protect: boolean,
): { figures: Figure[]; tables: DashboardTable[] } {
  const figures = computed.figures.map(({ cell, ...rest }) => ({
    ...rest,
    value: present(cell, protect, rest.kind),
    ...metaOfFigure(rest.id),
  }));
  return {
    figures: protect ? consistent(figures) : figures,
    tables: computed.tables.map(({ ranked, ...t }) => {
      const { definition, filters, columnFilters } = metaOfTable(t.id);
      const rows = t.rows.map((r) => ({
        label: r.label,
        values: r.values.map((c, i) => present(c, protect, t.columns[i]?.kind)),
      }));
      return {
        ...t,
        columns: t.columns.map((c) => ({
          ...c,
          ...(columnFilters?.[c.label] ? { filters: columnFilters[c.label] } : {}),
        })),
        // Ranked by the exact counts, a protected table would list 43 above 44 and tell the order the
        // perturbation hides: its rows follow the values shown, "< 5" last, then the label.
        rows: ranked && protect ? rows.sort(byShownCount) : rows,
        definition,
        filters,
      };
    }),
  };
}

/** "de janvier 2026", "d'avril 2026", "d'août 2026", "d'octobre 2026": "de" elided before a vowel. */
export function ofMonth(key: string): string {
  const label = monthLabel(key);
  return /^[aeiouyàâéèêîôûh]/i.test(label) ? `d'${label}` : `de ${label}`;
}

/** "d'avril 2026 à juin 2026", or "avril 2026" for a single month. */
export function periodWords(from: string, to: string): string {
  return from === to ? monthLabel(from) : `${ofMonth(from)} à ${monthLabel(to)}`;
}

const frNumber = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

/**
 * A count in a sentence: "moins de 5 visites" when hidden, "aucune visite", "1 visite", "12 visites".
 * `none` is the word for zero ("aucune", "aucun").
 */
function counted(value: number | null, one: string, many: string, none = "aucune"): string {
  if (value === null) return `moins de 5 ${many}`;
  if (value === 0) return `${none} ${one}`;
  return `${frNumber.format(value)} ${value === 1 ? one : many}`;
}
/** "a" or "ont": the verb agreeing with a count (a hidden count is plural, "moins de 5"). */
const has = (value: number | null): string => (value === null || value > 1 ? "ont" : "a");
const plural = (value: number | null, word: string): string =>
  value === null || value > 1 ? `${word}s` : word;

/**
 * A short summary in French for the committee, from the shown (protected) figures. A hidden count
 * reads "moins de 5", a hidden or incalculable ratio is said to be not significant, in a sentence
 * of its own.
 */
export function writeSummary(
  period: { from: string; to: string },
  figures: Figure[],
  tables: DashboardTable[],
): string[] {
  const v = (id: string): number | null => figures.find((x) => x.id === id)?.value ?? null;
  const percent = (id: string): string => `${frNumber.format(v(id) ?? 0)}\u00a0%`;
  const when =
    period.from === period.to
      ? `En ${monthLabel(period.from)}`
      : `Du début ${ofMonth(period.from)} à la fin ${ofMonth(period.to)}`;
  const lines: string[] = [];

  const people = v("accompanied");
  const visits = v("visits");
  const newPeople = v("newPeople");
  lines.push(
    people === 0
      ? `${when}, aucune personne n'a été accompagnée.`
      : `${when}, ${counted(people, "personne", "personnes")} ${has(people)} été ${plural(people, "accompagnée")} (dont ${counted(newPeople, "nouvelle", "nouvelles")}) au cours ${visits === 1 ? "d'une visite" : `de ${counted(visits, "visite", "visites")}`}.`,
  );

  const demarches = v("demarches");
  if (demarches === 0) lines.push("Aucune démarche n'a été engagée.");
  else {
    const perPerson = v("demarchesPerPerson");
    const shares: string[] = [];
    if (v("onSiteShare") !== null) shares.push(`${percent("onSiteShare")} ont été traitées sur place`);
    if (v("escalatedShare") !== null) shares.push(`${percent("escalatedShare")} transmises ou réorientées`);
    lines.push(
      `${capitalize(counted(demarches, "démarche", "démarches"))} ${has(demarches)} été ${plural(demarches, "engagée")}${perPerson === null ? "" : ` (${frNumber.format(perPerson)} par personne accompagnée)`}${shares.length ? ` ; ${shares.join(" et ")}` : ""}.`,
    );
    lines.push(
      v("grantedShare") === null
        ? "La part des démarches terminées ayant ouvert un droit n'est pas significative sur si peu de démarches."
        : `Parmi les démarches terminées sur la période, ${percent("grantedShare")} ont ouvert un droit.`,
    );
  }

  // Zero stays zero under the protection (cellKey.ts): "none at all" is said so, not "too few".
  const convocationRows = tables.find((t) => t.id === "convocations")?.rows ?? [];
  const noConvocation = convocationRows.every((r) => r.values[0] === 0);
  lines.push(
    v("noShowRate") !== null
      ? `Le taux d'absence aux convocations est de ${percent("noShowRate")}.`
      : noConvocation
        ? "Aucune convocation sur la période : pas de taux d'absence à calculer."
        : "Le taux d'absence aux convocations n'est pas significatif sur si peu de convocations.",
  );
  const days = v("answerDays");
  // No answer at all is said so, not "too few answers" (outside review): the answered statuses of
  // the orientations by status all read zero (zero stays zero under the protection).
  const statusRows = tables.find((t) => t.id === "orientationsByStatus")?.rows;
  const noAnswer =
    statusRows !== undefined &&
    ANSWERED_STATUSES.every((status) => {
      // A status without a row has none; a hidden count (« < 5 », null) has some.
      const row = statusRows.find((r) => r.label === orientationStatusLabels[status]);
      return row === undefined || row.values[0] === 0;
    });
  lines.push(
    days !== null
      ? `Les partenaires répondent aux orientations en ${frNumber.format(days)} ${days < 2 ? "jour" : "jours"} en moyenne.`
      : v("orientations") === 0
        ? "Aucune orientation sur la période : pas de délai de réponse à calculer."
        : noAnswer
          ? "Aucune réponse reçue pour l'instant."
          : "Le délai moyen de réponse aux orientations n'est pas significatif sur si peu de réponses.",
  );

  const first = (id: string) => tables.find((t) => t.id === id)?.rows.find((r) => (r.values[0] ?? 0) !== 0);
  const topPartner = first("demarchesByPartner");
  if (topPartner)
    lines.push(
      `Premier partenaire sollicité : ${topPartner.label} (${counted(topPartner.values[0] ?? null, "démarche", "démarches")}).`,
    );
  const topNeed = first("needsByDomain");
  if (topNeed) {
    // Every domain at the top is named: one of several tied is no "most often identified".
    const top = topNeed.values[0] ?? null;
    const tied = (tables.find((t) => t.id === "needsByDomain")?.rows ?? []).filter(
      (r) => (r.values[0] ?? null) === top,
    );
    lines.push(
      tied.length > 1
        ? `Besoins les plus souvent identifiés, à égalité : ${frenchList(tied.map((r) => r.label.toLowerCase()))} (${top === null ? "moins de 5" : frNumber.format(top)} chacun).`
        : `Besoin le plus souvent identifié : ${topNeed.label.toLowerCase()}.`,
    );
  }
  return lines;
}
