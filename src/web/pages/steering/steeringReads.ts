import {
  keepPreviousData,
  queryOptions,
  type UseQueryResult,
  useQueries,
  useQuery,
} from "@tanstack/react-query";
import { useEffect } from "react";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import { detentionRoutes } from "../../../common/detention/detention.routes";
import { fundingsRoutes } from "../../../common/fundings/fundings.routes";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import type { NarrowingFilter } from "../../../common/reporting/definitions";
import { reportingRoutes } from "../../../common/reporting/reporting.routes";
import type { Dashboard, FilterChoices } from "../../../common/reporting/reporting.schema";
import {
  type SectionFigures,
  type SectionId,
  sectionFilters,
  sectionIds,
} from "../../../common/reporting/sections.schema";
import type { Territories } from "../../../common/reporting/territories.schema";
import type { Role } from "../../../common/roles";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { loadChartDrawing } from "./Chart";

/** The dashboard's filters as the page holds them ("" for "all"). */
export type SteeringFilters = {
  from: string;
  to: string;
  structureId: string;
  siteId: string;
  partnerId: string;
  counselorId: string;
};

/** The dashboard itself: figures, tables, the filters' choices. */
export const dashboardRead = (filters: SteeringFilters) =>
  queryOptions({
    queryKey: ["reporting", filters],
    queryFn: () => call(reportingRoutes.dashboard, { query: filters }),
  });

/** What the filters may choose, over every structure the user reads (not the figures' filters). */
export const filterChoicesRead = () =>
  queryOptions({
    queryKey: ["reporting", "filterChoices"],
    queryFn: () => call(reportingRoutes.filterChoices),
    staleTime: 5 * 60_000,
  });

/** The structures the user reads, side by side. */
export const territoriesRead = (filters: SteeringFilters) =>
  queryOptions({
    queryKey: ["reporting", "territories", filters],
    queryFn: () => call(reportingRoutes.territories, { query: filters }),
  });

type SectionQuery = Partial<Record<NarrowingFilter | "structureId", string>> & { from: string; to: string };
const sectionFetchers: Record<SectionId, (query: SectionQuery) => Promise<SectionFigures>> = {
  milieuFerme: (query) => call(detentionRoutes.figures, { query }),
  transfers: (query) => call(handoverRoutes.figures, { query }),
  actions: (query) => call(actionsRoutes.figures, { query }),
  fundings: (query) => call(fundingsRoutes.figures, { query }),
};

/**
 * A section served beside the dashboard: the period, the structure and the filters that narrow its
 * figures (`sectionFilters`); its route refuses the others (400), which the section says it ignores.
 */
export const sectionRead = (id: SectionId, filters: SteeringFilters) => {
  const applied = sectionFilters[id].filter((f) => filters[f]);
  const query: SectionQuery = {
    from: filters.from,
    to: filters.to,
    ...(filters.structureId ? { structureId: filters.structureId } : {}),
    ...Object.fromEntries(applied.map((f) => [f, filters[f]])),
  };
  // Keyed by the query itself, each value under its filter's name: two filters given equal values
  // (or one filter's value in another's place) are two reads, never one cached answer for both.
  return queryOptions({
    queryKey: ["reporting", id, query],
    queryFn: () => sectionFetchers[id](query),
  });
};

const readingRoles: Role[] = ["steering", "service_manager"];

export interface SteeringReads {
  dashboard: UseQueryResult<Dashboard>;
  /** The filters' choices, read apart: the form works while the figures load or are refused. */
  choices: UseQueryResult<FilterChoices>;
  sections: Record<SectionId, UseQueryResult<SectionFigures>>;
  territories: UseQueryResult<Territories>;
}

/**
 * Every read of the page, started at once with the chart library: the sections and the comparison
 * of structures do not wait for the dashboard to be answered and drawn (on a slow machine and link,
 * that wait was most of the page's time). The comparison is read when the user reads several
 * structures, as the server decides (`resolveReportScope`) and as the dashboard's choices say.
 */
export function useSteeringReads(filters: SteeringFilters): SteeringReads {
  const { session } = useSession();
  const dashboard = useQuery({ ...dashboardRead(filters), placeholderData: keepPreviousData });
  const choices = useQuery(filterChoicesRead());
  const sectionResults = useQueries({ queries: sectionIds.map((id) => sectionRead(id, filters)) });
  const sections = Object.fromEntries(sectionIds.map((id, i) => [id, sectionResults[i]])) as Record<
    SectionId,
    UseQueryResult<SectionFigures>
  >;
  const readStructures = new Set(
    session?.memberships.filter((m) => readingRoles.includes(m.role)).map((m) => m.structureId),
  );
  const territories = useQuery({
    ...territoriesRead(filters),
    enabled: readStructures.size > 1 || (dashboard.data?.options.structures.length ?? 0) > 1,
  });
  // A chunk that could not be downloaded is asked for again by each chart (their tables say the same).
  useEffect(() => void loadChartDrawing().catch(() => undefined), []);
  return { dashboard, choices, sections, territories };
}
