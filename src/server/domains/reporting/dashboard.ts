/** The dashboard's figures and tables, computed from the rollup rows of one scope and period (pure). */

import {
  autonomyLabels,
  autonomyLevels,
  type DemarcheStatus,
  demarcheStatusLabels,
  type HelpLevel,
  helpLevelLabels,
} from "../../../common/accompaniment/accompaniment.schema";
import {
  type ConvocationStatus,
  convocationStatuses,
  convocationStatusLabels,
  type NeedDomain,
  needDomainLabels,
} from "../../../common/agenda/agenda.schema";
import { byFrench } from "../../../common/frenchOrder";
import {
  type OrientationStatus,
  type OrientationTarget,
  orientationStatusLabels,
} from "../../../common/orientations/orientations.schema";
import type { DashboardTable, Figure, ValueKind } from "../../../common/reporting/reporting.schema";
import { type DemarcheCategory, demarcheCategoryLabels } from "../../../common/roles";
import type {
  BreakdownRow,
  ConvocationRow,
  DemarcheTypeRow,
  NeedRow,
  OrientationRow,
  OutcomeRow,
  VisitRow,
} from "./aggregates";
import type { PeopleFigures } from "./queries";
import { type Cell, count, monthLabel, ratio } from "./rules";

export interface TableSpec {
  id: string;
  title: string;
  chart: DashboardTable["chart"];
  columns: { label: string; kind: ValueKind }[];
  rows: { label: string; values: Cell[] }[];
  /** Rows most frequent first by the first column: shown in the order of the values shown (ADR 0019). */
  ranked?: boolean;
}
export interface Computed {
  figures: (Pick<Figure, "id" | "label" | "kind"> & { cell: Cell })[];
  tables: TableSpec[];
}

export interface Rows {
  months: string[];
  convocations: ConvocationRow[];
  visits: VisitRow[];
  demarches: DemarcheTypeRow[];
  helpLevels: BreakdownRow[];
  statuses: BreakdownRow[];
  /** Démarches by month of their outcome (the rights granted are counted there). */
  outcomes: OutcomeRow[];
  orientations: OrientationRow[];
  needs: NeedRow[];
  people: PeopleFigures;
}

/** A count and the sum of its records' keys (cellKey.ts): what a count cell rests on. */
type Counted = { n: number; k: number };
const NONE: Counted = { n: 0, k: 0 };
const plus = (a: Counted, b: Counted): Counted => ({ n: a.n + b.n, k: a.k + b.k });
const minus = (a: Counted, b: Counted): Counted => ({ n: a.n - b.n, k: a.k - b.k });
const cellOf = (c: Counted): Cell => count(c.n, c.k);
/** The records of a row: its count and key sum, or none when `keep` is false. */
const counted = (r: { n: number; keySum: number }, keep = true): Counted =>
  keep ? { n: r.n, k: r.keySum } : NONE;

/** Sums `value(row)` per `key(row)`, keeping the first-seen order. */
function tally<T>(rows: T[], key: (row: T) => string, value: (row: T) => Counted): Map<string, Counted> {
  const totals = new Map<string, Counted>();
  for (const row of rows) totals.set(key(row), plus(totals.get(key(row)) ?? NONE, value(row)));
  return totals;
}
const total = <T>(rows: T[], value: (row: T) => Counted): Counted =>
  rows.reduce((s, r) => plus(s, value(r)), NONE);
const sum = <T>(rows: T[], value: (row: T) => number): number => rows.reduce((s, r) => s + value(r), 0);
/** Most frequent first; ties in French order of the label a row shows (its key, or `labelOf` it). */
const byCount =
  (labelOf: (key: string) => string = (key) => key) =>
  (a: [string, Counted], b: [string, Counted]): number =>
    b[1].n - a[1].n || byFrench(labelOf(a[0]), labelOf(b[0]));
const domainLabel = (domain: string): string => needDomainLabels[domain as NeedDomain] ?? domain;

/** A one-column table: the count of `rows` per label, most frequent first. */
function oneColumn<T extends { n: number; keySum: number }>(
  id: string,
  title: string,
  label: string,
  rows: T[],
  labelOf: (row: T) => string,
): TableSpec {
  return {
    id,
    title,
    chart: "bar",
    columns: [{ label, kind: "count" }],
    ranked: true,
    rows: [...tally(rows, labelOf, (r) => counted(r))]
      .filter(([, c]) => c.n !== 0)
      .sort(byCount())
      .map(([rowLabel, c]) => ({ label: rowLabel, values: [cellOf(c)] })),
  };
}

/** Destinations as a committee reads them (the full labels are the agents' form labels). */
const shortTargetLabels: Record<OrientationTarget, string> = {
  mediation: "Médiation de l'association",
  partner_back_office: "Back-office",
  iae_employer: "Employeur de l'IAE",
  mission_locale: "Mission locale",
  point_justice: "Point justice",
  other: "Autre structure",
};
const NO_PARTNER = "Sans partenaire";

/** A draft orientation was never sent: the committee's figures and tables leave drafts out. */
const withoutDrafts = (rows: Rows): Rows => ({
  ...rows,
  orientations: rows.orientations.filter((r) => r.status !== "draft"),
});

/** Every figure and table of the dashboard, from the rollup rows of one scope and period. */
export function computeDashboard(rows: Rows): Computed {
  const sent = withoutDrafts(rows);
  const { convocations, visits, demarches, outcomes, orientations, people } = sent;
  const byStatus = tally(
    convocations,
    (r) => r.status,
    (r) => counted(r),
  );
  const honoured = byStatus.get("honoured") ?? NONE;
  const missed = byStatus.get("missed") ?? NONE;
  const visitCount = total(visits, (r) => counted(r));
  const demarcheCount = total(demarches, (r) => counted(r));
  const granted = total(outcomes, (r) => counted(r, r.status === "granted"));
  const ended = total(outcomes, (r) => counted(r));
  const escalated = total(demarches, (r) => ({ n: r.escalated, k: r.escalatedKeySum }));
  const answered = total(orientations, (r) => ({ n: r.answered, k: r.answeredKeySum }));
  const orientationCount = total(orientations, (r) => counted(r));
  const accompanied: Counted = { n: people.accompanied, k: people.keys.accompanied };
  const newPeople: Counted = { n: people.newPeople, k: people.keys.newPeople };
  const keys = (part: Counted, base: Counted) => ({ part: part.k, base: base.k });

  const figures: Computed["figures"] = [
    { id: "accompanied", label: "Personnes accompagnées", kind: "count", cell: cellOf(accompanied) },
    { id: "newPeople", label: "dont nouvelles personnes", kind: "count", cell: cellOf(newPeople) },
    {
      // The new people are among the people accompanied (a first visit in the period is a visit in it).
      id: "returningPeople",
      label: "dont personnes déjà venues",
      kind: "count",
      cell: cellOf(minus(accompanied, newPeople)),
    },
    { id: "visits", label: "Visites", kind: "count", cell: cellOf(visitCount) },
    {
      // Minutes are no count: the cell rests on the visits, part and base alike.
      id: "visitMinutes",
      label: "Durée moyenne d'une visite",
      kind: "minutes",
      cell: ratio(
        sum(visits, (r) => r.minutes),
        visitCount.n,
        1,
        keys(visitCount, visitCount),
      ),
    },
    {
      id: "noShowRate",
      label: "Taux d'absence aux convocations",
      kind: "percent",
      cell: ratio(missed.n, honoured.n + missed.n, 100, keys(missed, plus(honoured, missed))),
    },
    { id: "demarches", label: "Démarches engagées", kind: "count", cell: cellOf(demarcheCount) },
    {
      id: "demarchesPerPerson",
      label: "Démarches par personne accompagnée",
      kind: "decimal",
      cell: ratio(demarcheCount.n, accompanied.n, 1, keys(demarcheCount, accompanied)),
    },
    {
      // Outcomes of the period, whenever their démarche started: a closed month stays closed.
      id: "grantedShare",
      label: "Part des démarches terminées sur la période ayant ouvert un droit",
      kind: "percent",
      cell: ratio(granted.n, ended.n, 100, keys(granted, ended)),
    },
    {
      id: "onSiteShare",
      label: "Part traitée sur place",
      kind: "percent",
      cell: ratio(
        demarcheCount.n - escalated.n,
        demarcheCount.n,
        100,
        keys(minus(demarcheCount, escalated), demarcheCount),
      ),
    },
    {
      id: "escalatedShare",
      label: "Part transmise ou réorientée",
      kind: "percent",
      cell: ratio(escalated.n, demarcheCount.n, 100, keys(escalated, demarcheCount)),
    },
    {
      id: "orientations",
      label: "Orientations et sollicitations",
      kind: "count",
      cell: cellOf(orientationCount),
    },
    {
      // Hours are no count: the cell rests on the answered orientations, part and base alike.
      id: "answerDays",
      label: "Délai moyen de réponse des partenaires",
      kind: "days",
      cell: ratio(
        sum(orientations, (r) => r.answerHours),
        answered.n,
        1 / 24,
        keys(answered, answered),
      ),
    },
    {
      id: "firstRightDays",
      label: "Délai médian de la première convocation au premier droit ouvert",
      kind: "days",
      cell: {
        value: people.firstRightDays,
        part: people.firstRightPeople,
        base: people.firstRightPeople,
        partK: people.keys.firstRightPeople,
        baseK: people.keys.firstRightPeople,
      },
    },
    {
      id: "measuresEnding",
      label: "Mesures se terminant sur la période avec des besoins ouverts",
      kind: "count",
      cell: count(people.measuresEndingWithOpenNeeds, people.keys.measuresEndingWithOpenNeeds),
    },
  ];
  return { figures, tables: dashboardTables(sent) };
}

const byStatusOf = (rows: ConvocationRow[], status: string): Counted =>
  total(
    rows.filter((r) => r.status === status),
    (r) => counted(r),
  );

function dashboardTables(rows: Rows): TableSpec[] {
  const { months, convocations, visits, demarches, outcomes, helpLevels, statuses, orientations, needs } =
    rows;
  const perMonth = <T extends { month: string }>(list: T[], value: (r: T) => Counted) =>
    tally(list, (r) => r.month, value);
  // "Hors annulées": cancelled by the service or by the person (excused).
  const convocationsByMonth = perMonth(convocations, (r) =>
    counted(r, r.status !== "cancelled" && r.status !== "excused"),
  );
  const missedByMonth = perMonth(convocations, (r) => counted(r, r.status === "missed"));
  const visitsByMonth = perMonth(visits, (r) => counted(r));
  const demarchesByMonth = perMonth(demarches, (r) => counted(r));
  const grantedByMonth = perMonth(outcomes, (r) => counted(r, r.status === "granted"));
  const identifiedByMonth = perMonth(needs, (r) => counted(r, r.change === "identified"));
  const resolvedByMonth = perMonth(needs, (r) => counted(r, r.change === "resolved"));
  const at = (m: Map<string, Counted>, key: string): Cell => cellOf(m.get(key) ?? NONE);

  const partnerOf = (r: { partner: string | null }) => r.partner ?? NO_PARTNER;
  const partnerTotals = tally(demarches, partnerOf, (r) => counted(r));
  const partnerGranted = tally(outcomes, partnerOf, (r) => counted(r, r.status === "granted"));
  // A partner may have rights granted in the period on démarches started before it.
  for (const label of partnerGranted.keys()) if (!partnerTotals.has(label)) partnerTotals.set(label, NONE);
  const destination = (r: OrientationRow) =>
    shortTargetLabels[r.target as OrientationTarget] + (r.partner ? ` – ${r.partner}` : "");
  const destinations = [...tally(orientations, destination, (r) => counted(r))]
    .filter(([, c]) => c.n !== 0)
    .sort(byCount());
  const sumWhere = (label: string, pick: (r: OrientationRow) => Counted) =>
    total(
      orientations.filter((r) => destination(r) === label),
      pick,
    );
  const domains = [
    ...tally(
      needs,
      (r) => r.domain,
      (r) => counted(r, r.change === "identified"),
    ),
  ]
    .filter(
      ([domain, c]) => c.n !== 0 || needs.some((r) => r.domain === domain && r.change === "resolved" && r.n),
    )
    .sort(byCount(domainLabel));

  return [
    {
      id: "trend",
      title: "Évolution mois par mois",
      chart: "line",
      columns: ["Convocations", "Absences", "Visites", "Démarches engagées", "Droits ouverts"].map(
        (label) => ({
          label,
          kind: "count" as const,
        }),
      ),
      rows: months.map((m) => ({
        label: monthLabel(m),
        values: [convocationsByMonth, missedByMonth, visitsByMonth, demarchesByMonth, grantedByMonth].map(
          (s) => at(s, m),
        ),
      })),
    },
    {
      id: "convocations",
      title: "Convocations par statut",
      chart: "bar",
      columns: [{ label: "Convocations", kind: "count" }],
      rows: convocationStatuses.map((s) => ({
        label: convocationStatusLabels[s as ConvocationStatus],
        values: [cellOf(byStatusOf(convocations, s))],
      })),
    },
    {
      id: "demarchesByPartner",
      ranked: true,
      title: "Démarches par partenaire",
      chart: "bar",
      columns: [
        { label: "Démarches", kind: "count" },
        { label: "Droits ouverts", kind: "count" },
      ],
      rows: [...partnerTotals]
        .filter(([label, c]) => c.n !== 0 || (partnerGranted.get(label) ?? NONE).n !== 0)
        .sort(byCount())
        .map(([label, c]) => ({
          label,
          values: [cellOf(c), cellOf(partnerGranted.get(label) ?? NONE)],
        })),
    },
    oneColumn("demarchesByCategory", "Démarches par catégorie", "Démarches", demarches, (r) =>
      r.category ? demarcheCategoryLabels[r.category as DemarcheCategory] : "Autre",
    ),
    oneColumn(
      "demarchesByHelpLevel",
      "Démarches par niveau d'aide",
      "Démarches",
      helpLevels,
      (r) => helpLevelLabels[r.key as HelpLevel],
    ),
    oneColumn(
      "demarchesByStatus",
      "Démarches par statut",
      "Démarches",
      statuses,
      (r) => demarcheStatusLabels[r.key as DemarcheStatus],
    ),
    {
      id: "orientationsByDestination",
      ranked: true,
      title: "Réorientations par destination, et délais de réponse",
      chart: "bar",
      columns: [
        { label: "Orientations", kind: "count" },
        { label: "Acceptées", kind: "count" },
        { label: "Refusées", kind: "count" },
        { label: "Délai moyen de réponse (jours)", kind: "days" },
      ],
      rows: destinations.map(([label, c]) => {
        const answeredHere = sumWhere(label, (r) => ({ n: r.answered, k: r.answeredKeySum }));
        return {
          label,
          values: [
            cellOf(c),
            cellOf(sumWhere(label, (r) => counted(r, r.status === "accepted" || r.status === "completed"))),
            cellOf(sumWhere(label, (r) => counted(r, r.status === "refused"))),
            ratio(
              sum(
                orientations.filter((r) => destination(r) === label),
                (r) => r.answerHours,
              ),
              answeredHere.n,
              1 / 24,
              { part: answeredHere.k, base: answeredHere.k },
            ),
          ],
        };
      }),
    },
    oneColumn(
      "orientationsByStatus",
      "Réorientations par statut",
      "Orientations",
      orientations,
      (r) => orientationStatusLabels[r.status as OrientationStatus],
    ),
    {
      id: "needsByDomain",
      ranked: true,
      title: "Besoins par domaine : identifiés et résolus",
      chart: "bar",
      columns: [
        { label: "Besoins identifiés", kind: "count" },
        { label: "Besoins résolus", kind: "count" },
      ],
      rows: domains.map(([domain, c]) => ({
        label: domainLabel(domain),
        values: [
          cellOf(c),
          cellOf(
            total(
              needs.filter((r) => r.domain === domain && r.change === "resolved"),
              (r) => counted(r),
            ),
          ),
        ],
      })),
    },
    {
      id: "needsOverTime",
      title: "Résolution des besoins dans le temps",
      chart: "line",
      columns: [
        { label: "Besoins identifiés", kind: "count" },
        { label: "Besoins résolus", kind: "count" },
      ],
      rows: months.map((m) => ({
        label: monthLabel(m),
        values: [at(identifiedByMonth, m), at(resolvedByMonth, m)],
      })),
    },
    {
      id: "autonomy",
      title: "Autonomie numérique constatée aux visites",
      chart: "stacked",
      columns: autonomyLevels.map((level) => ({ label: autonomyLabels[level], kind: "count" as const })),
      rows: months.map((m) => ({
        label: monthLabel(m),
        values: autonomyLevels.map((level) =>
          cellOf(
            total(
              visits.filter((r) => r.month === m && r.autonomy === level),
              (r) => counted(r),
            ),
          ),
        ),
      })),
    },
  ];
}
