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
  orientations: OrientationRow[];
  needs: NeedRow[];
  people: PeopleFigures;
}

/** Sums `value(row)` per `key(row)`, keeping the first-seen order. */
function tally<T>(rows: T[], key: (row: T) => string, value: (row: T) => number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + value(row));
  return totals;
}
const total = <T>(rows: T[], value: (row: T) => number): number => rows.reduce((s, r) => s + value(r), 0);
const byCount = (a: [string, number], b: [string, number]): number => b[1] - a[1] || a[0].localeCompare(b[0]);

/** A one-column table: the count of `rows` per label, most frequent first. */
function oneColumn<T extends { n: number }>(
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
    rows: [...tally(rows, labelOf, (r) => r.n)]
      .filter(([, n]) => n !== 0)
      .sort(byCount)
      .map(([rowLabel, n]) => ({ label: rowLabel, values: [count(n)] })),
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
  const { convocations, visits, demarches, orientations, people } = sent;
  const byStatus = tally(
    convocations,
    (r) => r.status,
    (r) => r.n,
  );
  const honoured = byStatus.get("honoured") ?? 0;
  const missed = byStatus.get("missed") ?? 0;
  const visitCount = total(visits, (r) => r.n);
  const demarcheCount = total(demarches, (r) => r.n);
  const granted = total(demarches, (r) => r.granted);
  const escalated = total(demarches, (r) => r.escalated);
  const answered = total(orientations, (r) => r.answered);
  const orientationCount = total(orientations, (r) => r.n);

  const figures: Computed["figures"] = [
    { id: "accompanied", label: "Personnes accompagnées", kind: "count", cell: count(people.accompanied) },
    { id: "newPeople", label: "dont nouvelles personnes", kind: "count", cell: count(people.newPeople) },
    {
      id: "returningPeople",
      label: "dont personnes déjà venues",
      kind: "count",
      cell: count(Math.max(0, people.accompanied - people.newPeople)),
    },
    { id: "visits", label: "Visites", kind: "count", cell: count(visitCount) },
    {
      id: "visitMinutes",
      label: "Durée moyenne d'une visite",
      kind: "minutes",
      cell: ratio(
        total(visits, (r) => r.minutes),
        visitCount,
      ),
    },
    {
      id: "noShowRate",
      label: "Taux d'absence aux convocations",
      kind: "percent",
      cell: ratio(missed, honoured + missed, 100),
    },
    { id: "demarches", label: "Démarches engagées", kind: "count", cell: count(demarcheCount) },
    {
      id: "demarchesPerPerson",
      label: "Démarches par personne accompagnée",
      kind: "decimal",
      cell: ratio(demarcheCount, people.accompanied),
    },
    {
      id: "grantedShare",
      label: "Part des démarches ayant ouvert un droit",
      kind: "percent",
      cell: ratio(granted, demarcheCount, 100),
    },
    {
      id: "onSiteShare",
      label: "Part traitée sur place",
      kind: "percent",
      cell: ratio(demarcheCount - escalated, demarcheCount, 100),
    },
    {
      id: "escalatedShare",
      label: "Part transmise ou réorientée",
      kind: "percent",
      cell: ratio(escalated, demarcheCount, 100),
    },
    {
      id: "orientations",
      label: "Orientations et sollicitations",
      kind: "count",
      cell: count(orientationCount),
    },
    {
      id: "answerDays",
      label: "Délai moyen de réponse des partenaires",
      kind: "days",
      cell: ratio(
        total(orientations, (r) => r.answerHours),
        answered,
        1 / 24,
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
        partK: 0,
        baseK: 0,
      },
    },
    {
      id: "measuresEnding",
      label: "Mesures se terminant sur la période avec des besoins ouverts",
      kind: "count",
      cell: count(people.measuresEndingWithOpenNeeds),
    },
  ];
  return { figures, tables: dashboardTables(sent) };
}

function dashboardTables(rows: Rows): TableSpec[] {
  const { months, convocations, visits, demarches, helpLevels, statuses, orientations, needs } = rows;
  const perMonth = <T extends { month: string }>(list: T[], value: (r: T) => number) =>
    tally(list, (r) => r.month, value);
  const convocationsByMonth = perMonth(convocations, (r) => (r.status === "cancelled" ? 0 : r.n));
  const missedByMonth = perMonth(convocations, (r) => (r.status === "missed" ? r.n : 0));
  const visitsByMonth = perMonth(visits, (r) => r.n);
  const demarchesByMonth = perMonth(demarches, (r) => r.n);
  const grantedByMonth = perMonth(demarches, (r) => r.granted);
  const identifiedByMonth = perMonth(needs, (r) => (r.change === "identified" ? r.n : 0));
  const resolvedByMonth = perMonth(needs, (r) => (r.change === "resolved" ? r.n : 0));
  const at = (m: Map<string, number>, key: string): Cell => count(m.get(key) ?? 0);

  const partnerOf = (r: DemarcheTypeRow) => r.partner ?? NO_PARTNER;
  const partnerTotals = tally(demarches, partnerOf, (r) => r.n);
  const partnerGranted = tally(demarches, partnerOf, (r) => r.granted);
  const destination = (r: OrientationRow) =>
    shortTargetLabels[r.target as OrientationTarget] + (r.partner ? ` – ${r.partner}` : "");
  const destinations = [...tally(orientations, destination, (r) => r.n)]
    .filter(([, n]) => n !== 0)
    .sort(byCount);
  const sumWhere = (label: string, pick: (r: OrientationRow) => number) =>
    total(
      orientations.filter((r) => destination(r) === label),
      pick,
    );
  const domains = [
    ...tally(
      needs,
      (r) => r.domain,
      (r) => (r.change === "identified" ? r.n : 0),
    ),
  ]
    .filter(
      ([domain, n]) => n !== 0 || needs.some((r) => r.domain === domain && r.change === "resolved" && r.n),
    )
    .sort(byCount);

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
        values: [
          count(
            total(
              convocations.filter((r) => r.status === s),
              (r) => r.n,
            ),
          ),
        ],
      })),
    },
    {
      id: "demarchesByPartner",
      title: "Démarches par partenaire",
      chart: "bar",
      columns: [
        { label: "Démarches", kind: "count" },
        { label: "Droits ouverts", kind: "count" },
      ],
      rows: [...partnerTotals]
        .filter(([label, n]) => n !== 0 || (partnerGranted.get(label) ?? 0) !== 0)
        .sort(byCount)
        .map(([label, n]) => ({
          label,
          values: [count(n), count(partnerGranted.get(label) ?? 0)],
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
      title: "Réorientations par destination, et délais de réponse",
      chart: "bar",
      columns: [
        { label: "Orientations", kind: "count" },
        { label: "Acceptées", kind: "count" },
        { label: "Refusées", kind: "count" },
        { label: "Délai moyen de réponse (jours)", kind: "days" },
      ],
      rows: destinations.map(([label, n]) => {
        const answeredHere = sumWhere(label, (r) => r.answered);
        return {
          label,
          values: [
            count(n),
            count(sumWhere(label, (r) => (r.status === "accepted" || r.status === "completed" ? r.n : 0))),
            count(sumWhere(label, (r) => (r.status === "refused" ? r.n : 0))),
            ratio(
              sumWhere(label, (r) => r.answerHours),
              answeredHere,
              1 / 24,
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
      title: "Besoins par domaine : identifiés et résolus",
      chart: "bar",
      columns: [
        { label: "Besoins identifiés", kind: "count" },
        { label: "Besoins résolus", kind: "count" },
      ],
      rows: domains.map(([domain, n]) => ({
        label: needDomainLabels[domain as NeedDomain] ?? domain,
        values: [
          count(n),
          count(
            total(
              needs.filter((r) => r.domain === domain && r.change === "resolved"),
              (r) => r.n,
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
          count(
            total(
              visits.filter((r) => r.month === m && r.autonomy === level),
              (r) => r.n,
            ),
          ),
        ),
      })),
    },
  ];
}
