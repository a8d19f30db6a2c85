import { errors } from "../../../../common/errors";
import type {
  Dashboard,
  DashboardFilters,
  FilterChoices,
} from "../../../../common/reporting/reporting.schema";
import { type RequestContext, structuresWithRole } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import {
  convocationCounts,
  demarcheBreakdown,
  demarcheTypeCounts,
  needCounts,
  orientationCounts,
  outcomeCounts,
  visitCounts,
} from "../aggregates";
import { type Computed, computeDashboard, type Rows } from "../dashboard";
import { cachedFigures } from "../figureCache";
import { openingHours } from "../openingHoursReport";
import { asOfNow, overdueOrientations } from "../overdue";
import { type ResolvedScope, resolveReportScope } from "../policies";
import { filterChoices, filterOptions, peopleFigures } from "../queries";
import { monthsOf, presentDashboard, writeSummary } from "../rules";
import { trainingFigure } from "../trainingFigure";

/**
 * Every figure of a scope and period, exact (before the small-count protection). The counted rows
 * come from the figure cache while nothing they are computed from has changed (ADR 0022); what
 * depends on the clock (orientations overdue as of now) is read beside them, never cached.
 */
export async function computeFigures(
  deps: Deps,
  scope: ResolvedScope,
  filters: DashboardFilters,
): Promise<Computed> {
  const key = JSON.stringify([
    [...scope.structureIds].sort(),
    scope.siteId ?? null,
    scope.partnerId ?? null,
    scope.counselorId ?? null,
    filters.from,
    filters.to,
  ]);
  const [rows, overdue] = await Promise.all([
    cachedFigures(deps.db, deps.figureCache, key, scope.structureIds, () =>
      countedRows(deps, scope, filters),
    ),
    overdueOrientations(deps.db, scope, deps.clock.now()),
  ]);
  return computeDashboard({ ...rows, orientations: asOfNow(rows.orientations, overdue) });
}

/** The counted rows of a scope and period: a function of the database state only. */
async function countedRows(deps: Deps, scope: ResolvedScope, filters: DashboardFilters): Promise<Rows> {
  const [convocations, visits, demarches, helpLevels, statuses, outcomes, orientations, needs, people] =
    await Promise.all([
      convocationCounts(deps.db, scope),
      visitCounts(deps.db, scope),
      demarcheTypeCounts(deps.db, scope),
      demarcheBreakdown(deps.db, scope, "help_level"),
      demarcheBreakdown(deps.db, scope, "status"),
      outcomeCounts(deps.db, scope),
      orientationCounts(deps.db, scope),
      needCounts(deps.db, scope),
      peopleFigures(deps.db, scope),
    ]);
  return {
    months: monthsOf(filters.from, filters.to),
    convocations,
    visits,
    demarches,
    helpLevels,
    statuses,
    outcomes,
    orientations,
    needs,
    people,
  };
}

/**
 * The steering dashboard: aggregates only, from the rollups. Who reads decides (ADR 0019): exact
 * figures for the direction of every selected structure (who may also drill down to the lists),
 * protected ones (cell-key perturbation, "< 5") for anyone else — the same in every file made from it.
 */
export async function getDashboard(
  deps: Deps,
  ctx: RequestContext,
  filters: DashboardFilters,
): Promise<Dashboard> {
  const scope = await resolveReportScope(deps.db, ctx.actor, filters);
  const protect = scope.protect;
  const [computed, choices, hours, training] = await Promise.all([
    computeFigures(deps, scope, filters),
    filterOptions(deps.db, scope.allowedStructureIds, scope.structureIds),
    openingHours(deps.db, scope, ctx.clock.now()),
    trainingFigure(deps.db, scope, ctx.clock.now()),
  ]);
  const { figures, tables } = presentDashboard(computed, protect);
  const period = { from: filters.from, to: filters.to };
  return {
    period,
    protectedCounts: protect,
    mayDrillDown: !protect,
    options: choices,
    // Opening hours are durations, trained counselors are agents, not people: added after the
    // small-count protection.
    figures: [...figures, ...hours.figures, training.figure],
    tables: [...tables, ...hours.tables],
    summary: [...writeSummary(period, figures, tables), ...hours.summary, training.summary],
  };
}

/**
 * What the dashboard's filters may choose, whatever the filters of the moment: the form narrows the
 * sites and counselors to the structure it names, and stays usable when a link names a filter the
 * reader does not have (the dashboard then answers 404).
 */
export async function getFilterChoices(deps: Deps, ctx: RequestContext): Promise<FilterChoices> {
  const allowed = structuresWithRole(ctx.actor, "steering", "service_manager");
  if (allowed.length === 0) throw errors.access.forbidden();
  return filterChoices(deps.db, allowed);
}
