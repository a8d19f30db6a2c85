import type { Dashboard, DashboardFilters } from "../../../../common/reporting/reporting.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import {
  convocationCounts,
  demarcheBreakdown,
  demarcheTypeCounts,
  needCounts,
  orientationCounts,
  visitCounts,
} from "../aggregates";
import { type Computed, computeDashboard } from "../dashboard";
import { cachedFigures } from "../figureCache";
import { type ResolvedScope, resolveReportScope } from "../policies";
import { filterOptions, peopleFigures } from "../queries";
import { monthsOf, presentDashboard, writeSummary } from "../rules";

/**
 * Every figure of a scope and period, exact (before the small-count protection); from the figure
 * cache while nothing they are computed from has changed (ADR 0024). Only functions of the database
 * state belong here: a figure depending on the clock is computed beside, never cached.
 */
export function computeFigures(
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
  return cachedFigures(deps.db, deps.figureCache, key, scope.structureIds, () =>
    computeUncached(deps, scope, filters),
  );
}

async function computeUncached(
  deps: Deps,
  scope: ResolvedScope,
  filters: DashboardFilters,
): Promise<Computed> {
  const [convocations, visits, demarches, helpLevels, statuses, orientations, needs, people] =
    await Promise.all([
      convocationCounts(deps.db, scope),
      visitCounts(deps.db, scope),
      demarcheTypeCounts(deps.db, scope),
      demarcheBreakdown(deps.db, scope, "help_level"),
      demarcheBreakdown(deps.db, scope, "status"),
      orientationCounts(deps.db, scope),
      needCounts(deps.db, scope),
      peopleFigures(deps.db, scope),
    ]);
  return computeDashboard({
    months: monthsOf(filters.from, filters.to),
    convocations,
    visits,
    demarches,
    helpLevels,
    statuses,
    orientations,
    needs,
    people,
  });
}

/**
 * The steering dashboard: aggregates only, from the rollups. Counts between 1 and 4 are hidden
 * unless the actor directs every selected structure (who may then drill down to the lists).
 */
export async function getDashboard(
  deps: Deps,
  ctx: RequestContext,
  filters: DashboardFilters,
  options: { protect?: boolean } = {},
): Promise<Dashboard> {
  const scope = await resolveReportScope(deps.db, ctx.actor, filters);
  const protect = options.protect ?? scope.protect;
  const [computed, choices] = await Promise.all([
    computeFigures(deps, scope, filters),
    filterOptions(deps.db, scope.allowedStructureIds, scope.structureIds),
  ]);
  const { figures, tables } = presentDashboard(computed, protect);
  const period = { from: filters.from, to: filters.to };
  return {
    period,
    protectedCounts: protect,
    mayDrillDown: !scope.protect,
    options: choices,
    figures,
    tables,
    summary: writeSummary(period, figures, tables),
  };
}
