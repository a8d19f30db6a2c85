import { type HelpLevel, helpLevelLabels } from "../../../../common/accompaniment/accompaniment.schema";
import type { AuditAction } from "../../../../common/audit/audit.actions";
import { formatDate, withPlainSpaces } from "../../../../common/dateFormat";
import { errors } from "../../../../common/errors";
import { frenchList } from "../../../../common/frenchList";
import { plural } from "../../../../common/plural";
import { narrowingFilterLabels, narrowingFilters } from "../../../../common/reporting/definitions";
import { EXACT_HOURS_NOTICE, protectionNotice } from "../../../../common/reporting/protection";
import {
  type ActivityQuery,
  type DashboardFilters,
  type DashboardTable,
  type ExportQuery,
  type ExportTable,
  NOMINATIVE_EXPORT_RETENTION_DAYS,
  type NominativeKind,
  type NominativeList,
  type NominativeQuery,
} from "../../../../common/reporting/reporting.schema";
import { type SectionId, sectionIds } from "../../../../common/reporting/sections.schema";
import { journalFor, journalManyFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { activityCounts } from "../aggregates";
import {
  CSV_TYPE,
  chosenWords,
  figuresSheet,
  fileWords,
  filteredName,
  type Sheet,
  sectionSheet,
  tableSheet,
  toCsv,
  toXlsx,
  XLSX_TYPE,
} from "../files";
import { nominativeList } from "../lists";
import { openingHoursSheet } from "../openingHoursSheet";
import { assertMayReadNominative, resolveReportScope } from "../policies";
import { type FilterOptions, filterOptions } from "../queries";
import { renderReport } from "../report";
import { sectionNotes } from "../reportSections";
import { count, monthLabel, periodWords, present } from "../rules";
import { reportSections } from "../sections";
import { compareTerritories } from "./CompareTerritories";
import { getDashboard } from "./GetDashboard";

export interface GeneratedFile {
  body: Buffer;
  type: string;
  filename: string;
}

/** "1er juillet 2026" (the app's date family), with plain spaces for headers and the journal. */
const parisDate = (at: Date): string => withPlainSpaces(formatDate(at));

/** The file's first lines: structures and period, then the filters chosen (by name). */
function describe(
  filters: DashboardFilters,
  scopeName: string,
  options: Pick<FilterOptions, "sites" | "partners" | "counselors">,
): string[] {
  const chosen = chosenWords(options, filters);
  return [`${scopeName}, ${periodWords(filters.from, filters.to)}`, ...(chosen ? [chosen] : [])];
}

function scopeName(
  dashboard: { options: { structures: { id: string; name: string }[] } },
  filters: DashboardFilters,
): string {
  if (filters.structureId)
    return dashboard.options.structures.find((s) => s.id === filters.structureId)?.name ?? "";
  const names = dashboard.options.structures.map((s) => s.name);
  return names.length === 1 ? (names[0] ?? "") : `${names.length} structures : ${frenchList(names)}`;
}

async function write(format: ExportQuery["format"], sheets: Sheet[], base: string): Promise<GeneratedFile> {
  if (format === "xlsx") return { body: await toXlsx(sheets), type: XLSX_TYPE, filename: `${base}.xlsx` };
  // One section after another, a blank line between them (each opens on its title).
  const csv = Buffer.concat(
    sheets.map((sheet, i) =>
      i === 0 ? toCsv(sheet) : Buffer.concat([Buffer.from("\r\n"), toCsv(sheet).subarray(3)]),
    ),
  );
  return { body: csv, type: CSV_TYPE, filename: `${base}.csv` };
}

const isSection = (table: ExportTable): table is SectionId =>
  (sectionIds as readonly string[]).includes(table);

/**
 * Every table of the dashboard and its sections (milieu fermé, transfers, collective actions), or one
 * of them, as the reader sees them: exact for the direction, protected otherwise.
 */
export async function exportTables(
  deps: Deps,
  ctx: RequestContext,
  query: ExportQuery,
): Promise<GeneratedFile> {
  const { format, table, ...filters } = query;
  const dashboard = await getDashboard(deps, ctx, filters);
  const scope = await resolveReportScope(deps.db, ctx.actor, filters);
  const described = describe(filters, scopeName(dashboard, filters), dashboard.options);
  const preamble = [...described, protectionNotice(dashboard.protectedCounts)];
  // A table of hours only is exact for every reader: no protection notice over it.
  const preambleOf = (t: DashboardTable) =>
    dashboard.protectedCounts && t.columns.every((c) => c.kind === "hours")
      ? [...described, EXACT_HOURS_NOTICE]
      : preamble;
  const several = dashboard.options.structures.length > 1;
  const compared =
    several && (table === "all" || table === "territories")
      ? [(await compareTerritories(deps, ctx, filters)).table]
      : [];
  const tables = [
    ...compared,
    ...(table === "all" ? dashboard.tables : dashboard.tables.filter((t) => t.id === table)),
  ];
  const sections =
    table === "all" || isSection(table)
      ? (await reportSections(deps.db, scope)).filter((s) => table === "all" || s.id === table)
      : [];
  if (tables.length === 0 && sections.length === 0) throw errors.reporting.unknownTable();
  const sheets = [
    ...(table === "all" ? [figuresSheet(dashboard.figures, preamble, filters)] : []),
    ...tables.map((t) => tableSheet(t, preambleOf(t), filters)),
    ...sections.map((s) => sectionSheet(s, preamble, sectionNotes(s.id, filters).join(" "))),
  ];
  return write(
    format,
    sheets,
    // The file is named in French: "tous-les-tableaux", "demarches-par-partenaire", "milieu-ferme".
    `passerelle-pilotage-${table === "all" ? "tous-les-tableaux" : fileWords(tables[0]?.title ?? sections[0]?.title ?? table)}-${filters.from}-${filters.to}${filteredName(filters)}`,
  );
}

/**
 * The France services activity export: monthly démarches per site, partner and help level; exact for
 * the direction (the label's reporting needs the real figures), protected for anyone else.
 */
export async function exportActivity(
  deps: Deps,
  ctx: RequestContext,
  query: ActivityQuery,
): Promise<GeneratedFile> {
  const { format, ...filters } = query;
  const scope = await resolveReportScope(deps.db, ctx.actor, filters);
  const rows = await activityCounts(deps.db, scope);
  const options = await filterOptions(deps.db, scope.allowedStructureIds, scope.structureIds);
  const several = scope.structureIds.length > 1;
  const sheet: Sheet = {
    name: "Activité France services",
    preamble: [
      "Activité France services : démarches par site, mois, partenaire et niveau d'aide",
      ...describe(filters, scopeName({ options }, filters), options),
      protectionNotice(scope.protect),
    ],
    // Over several structures, each row says whose it is (sites of two structures may share a name).
    header: [...(several ? ["Structure"] : []), "Site", "Mois", "Partenaire", "Niveau d'aide", "Démarches"],
    rows: rows.map((r) => [
      ...(several ? [r.structure] : []),
      r.site ?? "Hors permanence",
      monthLabel(r.month),
      r.partner ?? "Sans partenaire",
      helpLevelLabels[r.helpLevel as HelpLevel],
      present(count(r.n, r.keySum), scope.protect),
    ]),
    kinds: [...(several ? (["count"] as const) : []), "count", "count", "count", "count", "count"],
  };
  if (sheet.rows.length === 0) sheet.rows.push(["Aucune démarche sur la période."]);
  const hours = await openingHoursSheet(deps.db, scope, ctx.clock.now());
  return write(
    format,
    [sheet, hours],
    `passerelle-activite-france-services-${filters.from}-${filters.to}${filteredName(filters)}`,
  );
}

/** The committee report (PDF), with the figures its reader may see (exact for the direction). */
export async function committeeReport(
  deps: Deps,
  ctx: RequestContext,
  filters: DashboardFilters,
): Promise<GeneratedFile> {
  const dashboard = await getDashboard(deps, ctx, filters);
  const scope = await resolveReportScope(deps.db, ctx.actor, filters);
  const territories =
    dashboard.options.structures.length > 1 ? (await compareTerritories(deps, ctx, filters)).table : null;
  const body = await renderReport(
    territories ? { ...dashboard, tables: [...dashboard.tables, territories] } : dashboard,
    scopeName(dashboard, filters),
    parisDate(ctx.clock.now()),
    filters,
    await reportSections(deps.db, scope),
  );
  return {
    body,
    type: "application/pdf",
    filename: `rapport-comite-pilotage-${filters.from}-${filters.to}.pdf`,
  };
}

const LIST_LIMIT = 200;

/** What a nominative list holds, in the journal's words. */
const kindWords: Record<NominativeKind, string> = {
  people: "personnes accompagnées",
  demarches: "démarches engagées",
};

/**
 * What a nominative list or export was, in words, for its journal rows: its kind, its period in
 * months, the site, partner and counselor chosen, by name ("Liste nominative derrière un chiffre :
 * personnes accompagnées, de juin 2026 à novembre 2026 (site : Meaux)").
 */
async function listWords(
  deps: Deps,
  scope: Awaited<ReturnType<typeof resolveReportScope>>,
  filters: DashboardFilters,
  title: string,
  kind: NominativeKind,
): Promise<string> {
  const options = await filterOptions(deps.db, scope.allowedStructureIds, scope.structureIds);
  const names = { siteId: options.sites, partnerId: options.partners, counselorId: options.counselors };
  const chosen = narrowingFilters
    .filter((f) => filters[f])
    .map(
      (f) =>
        `${narrowingFilterLabels[f].toLowerCase()} : ${names[f].find((o) => o.id === filters[f])?.name ?? "non trouvé"}`,
    );
  const head = `${title} : ${kindWords[kind]}, ${periodWords(filters.from, filters.to)}`;
  return chosen.length > 0 ? `${head} (${chosen.join(", ")})` : head;
}

/**
 * The journal rows of a nominative list or export (ADR 0010): one per structure whose people it
 * shows, saying what it held (its summary, also written for an empty list), and one per person it
 * contained, in the person's structure, naming them: a person's journal shows every list or export
 * that contained them, with the same detail. Written in a few statements, with the read.
 */
async function journalList(
  tx: Db,
  ctx: RequestContext,
  structureIds: string[],
  action: AuditAction,
  kind: NominativeKind,
  rows: readonly { personId: string; structureId: string }[],
  reason: string,
): Promise<void> {
  for (const structureId of structureIds)
    await journalFor(tx, ctx, { action, targetType: kind, structureId, reason });
  const people = new Map(rows.map((r) => [r.personId, r.structureId]));
  await journalManyFor(
    tx,
    ctx,
    [...people].map(([personId, structureId]) => ({
      action,
      targetType: "person",
      targetId: personId,
      structureId,
      reason,
    })),
  );
}

/** The people or démarches behind the figures, for the direction only; the read is journaled. */
export async function listNominative(
  deps: Deps,
  ctx: RequestContext,
  query: NominativeQuery,
): Promise<NominativeList> {
  const { kind, ...filters } = query;
  const scope = await resolveReportScope(deps.db, ctx.actor, filters);
  assertMayReadNominative(scope);
  const described = await listWords(deps, scope, filters, "Liste nominative derrière un chiffre", kind);
  return deps.db.transaction(async (tx) => {
    const list = await nominativeList(tx, kind, scope, LIST_LIMIT);
    const shown =
      list.rows.length < list.total ? `, ${plural(list.rows.length, "affichée", "affichées")}` : "";
    await journalList(
      tx,
      ctx,
      scope.structureIds,
      "reporting.list",
      kind,
      list.rows,
      `${described} ; ${plural(list.total, "ligne", "lignes")}${shown}`,
    );
    return {
      kind,
      total: list.total,
      columns: list.columns,
      rows: list.rows.map(({ personId, cells }) => ({ personId, cells })),
      truncated: list.total > list.rows.length,
    };
  });
}

/** A nominative export: journaled with its purge date, which the file itself states at its top. */
export async function exportNominative(
  deps: Deps,
  ctx: RequestContext,
  query: NominativeQuery & { format: ExportQuery["format"] },
): Promise<GeneratedFile & { rows: number; purgeBy: string }> {
  const { kind, format, ...filters } = query;
  const scope = await resolveReportScope(deps.db, ctx.actor, filters);
  assertMayReadNominative(scope);
  const now = ctx.clock.now();
  const purgeBy = parisDate(new Date(now.getTime() + NOMINATIVE_EXPORT_RETENTION_DAYS * 86_400_000));
  const described = await listWords(deps, scope, filters, `Export nominatif ${format.toUpperCase()}`, kind);
  return deps.db.transaction(async (tx) => {
    const list = await nominativeList(tx, kind, scope, null);
    const reason = `${described} ; ${plural(list.total, "ligne", "lignes")} ; à supprimer au plus tard le ${purgeBy}`;
    await journalList(tx, ctx, scope.structureIds, "reporting.nominativeExport", kind, list.rows, reason);
    const sheet: Sheet = {
      name: kind === "people" ? "Personnes accompagnées" : "Démarches",
      preamble: [
        `Export nominatif confidentiel – données de personnes placées sous main de justice. Édité le ${parisDate(now)} par ${ctx.actor.displayName}.`,
        `À supprimer au plus tard le ${purgeBy}. Ne pas transmettre.`,
      ],
      header: list.columns,
      rows: list.rows.map((r) => r.cells),
    };
    const file = await write(
      format,
      [sheet],
      `passerelle-export-nominatif-${kind}-${filters.from}-${filters.to}`,
    );
    return { ...file, rows: list.total, purgeBy };
  });
}
