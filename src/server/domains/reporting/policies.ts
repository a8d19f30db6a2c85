import { errors } from "../../../common/errors";
import type { DashboardFilters } from "../../../common/reporting/reporting.schema";
import { type Actor, hasRole, structuresWithRole } from "../../core/context";
import { parisInstant } from "../../core/parisTime";
import type { Db } from "../../db/createDb";
import type { ReportScope } from "./queries";
import { knownFilters } from "./queries";
import { monthBounds } from "./rules";

export interface ResolvedScope extends ReportScope {
  /** Every structure the actor may see figures of (the structure filter chooses among them). */
  allowedStructureIds: string[];
  /** Counts between 1 and 4 hidden: unless the actor directs every selected structure. */
  protect: boolean;
}

/**
 * The structures whose figures the actor may see (steering or direction), narrowed by the filters.
 * A filter naming something outside them answers 404, as if it did not exist.
 */
export async function resolveReportScope(
  db: Db,
  actor: Actor,
  filters: DashboardFilters,
): Promise<ResolvedScope> {
  const allowed = structuresWithRole(actor, "steering", "service_manager");
  if (allowed.length === 0) throw errors.access.forbidden();
  if (filters.structureId && !allowed.includes(filters.structureId)) throw errors.reporting.unknownFilter();
  const structureIds = filters.structureId ? [filters.structureId] : allowed;
  if (!(await knownFilters(db, structureIds, filters))) throw errors.reporting.unknownFilter();
  const { fromMonth, untilMonth } = monthBounds(filters.from, filters.to);
  return {
    allowedStructureIds: allowed,
    structureIds,
    siteId: filters.siteId,
    partnerId: filters.partnerId,
    counselorId: filters.counselorId,
    fromMonth,
    untilMonth,
    fromAt: parisInstant(fromMonth, "00:00"),
    untilAt: parisInstant(untilMonth, "00:00"),
    protect: !structureIds.every((id) => hasRole(actor, "service_manager", id)),
  };
}

/** Nominative lists and exports: only for the direction of every selected structure. */
export function assertMayReadNominative(scope: ResolvedScope): void {
  if (scope.protect) throw errors.reporting.nominativeForbidden();
}
