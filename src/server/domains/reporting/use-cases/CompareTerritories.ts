import { inArray } from "drizzle-orm";
import { metaOfTable } from "../../../../common/reporting/definitions";
import type { DashboardFilters } from "../../../../common/reporting/reporting.schema";
import type { Territories } from "../../../../common/reporting/territories.schema";
import { shortStructureNames } from "../../../../common/structures/shortStructureName";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { structure } from "../../../db/schema";
import { resolveReportScope } from "../policies";
import { present } from "../rules";
import { computeFigures } from "./GetDashboard";

/** The figures compared, in this order: ids of the dashboard's figures. */
const compared = [
  { id: "accompanied", label: "Personnes accompagnées" },
  { id: "demarchesPerPerson", label: "Démarches par personne" },
  { id: "grantedShare", label: "Part des démarches ayant ouvert un droit" },
  { id: "noShowRate", label: "Taux d'absence aux convocations" },
  { id: "answerDays", label: "Délai moyen de réponse des partenaires" },
  { id: "orientations", label: "Orientations et sollicitations" },
] as const;

/** How each compared figure is shown: as on the dashboard (an average is not a ratio of counts). */
const kinds = {
  accompanied: "count",
  demarchesPerPerson: "decimal",
  grantedShare: "percent",
  noShowRate: "percent",
  answerDays: "days",
  orientations: "count",
} as const;

/** Structures computed at once (each is one dashboard computation). */
const CONCURRENCY = 4;

/**
 * Every structure the user reads, side by side for the period: each row is the dashboard's own
 * computation for that structure alone (`computeFigures`), through the same small-count protection.
 * The partner filter applies to the columns it narrows on the dashboard (démarches, orientations);
 * the structure, site and counselor filters do not (they are checked, as everywhere: unknown values
 * answer 404).
 */
export async function compareTerritories(
  deps: Deps,
  ctx: RequestContext,
  filters: DashboardFilters,
): Promise<Territories> {
  await resolveReportScope(deps.db, ctx.actor, filters);
  const comparedFilters = { from: filters.from, to: filters.to, partnerId: filters.partnerId };
  const scope = await resolveReportScope(deps.db, ctx.actor, comparedFilters);
  const names = await deps.db
    .select({ id: structure.id, name: structure.name })
    .from(structure)
    .where(inArray(structure.id, scope.structureIds))
    .orderBy(structure.name);
  // "SPIP 77 – PIMM'S…" rather than "France services SPIP 77 – …": every bar, legend and column of
  // the page, the PDF and the exports would start alike.
  const shortNames = shortStructureNames(names.map((s) => s.name));
  const rows: Territories["table"]["rows"] = [];
  for (let i = 0; i < names.length; i += CONCURRENCY) {
    const batch = names.slice(i, i + CONCURRENCY);
    const computed = await Promise.all(
      batch.map((s) => computeFigures(deps, { ...scope, structureIds: [s.id] }, comparedFilters)),
    );
    batch.forEach((s, k) => {
      const figures = computed[k]?.figures ?? [];
      rows.push({
        label: shortNames.get(s.name) ?? s.name,
        values: compared.map(({ id }) => {
          const found = figures.find((f) => f.id === id);
          return found ? present(found.cell, scope.protect, kinds[id]) : null;
        }),
      });
    });
  }
  const { definition, filters: applied, columnFilters } = metaOfTable("territories");
  return {
    period: { from: filters.from, to: filters.to },
    protectedCounts: scope.protect,
    table: {
      id: "territories",
      title: "Territoires comparés",
      chart: "bar",
      // Each column says which filters narrow it, as the dashboard's tables do: the partner filter
      // narrows the démarches and orientations, not the people accompanied nor the no-show rate.
      columns: compared.map(({ id, label }) => ({
        label,
        kind: kinds[id],
        ...(columnFilters?.[label] ? { filters: columnFilters[label] } : {}),
      })),
      rows,
      definition,
      filters: applied,
    },
  };
}
