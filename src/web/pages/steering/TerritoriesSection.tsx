import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { frenchList } from "../../../common/frenchList";
import { reportingRoutes } from "../../../common/reporting/reporting.routes";
import type { DashboardTable } from "../../../common/reporting/reporting.schema";
import type { Territories } from "../../../common/reporting/territories.schema";
import { routeUrl } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { DashboardTableSection } from "./DashboardTableSection";
import type { SteeringFilters } from "./steeringReads";

/** The structures the user reads, side by side (shown when they read more than one). */
export function TerritoriesSection({
  filters,
  query,
}: {
  filters: SteeringFilters;
  query: UseQueryResult<Territories>;
}): ReactNode {
  // The rows carry the structures' short names ("SPIP 77 – PIMM'S…", shortStructureName), named so
  // by the server for the page, the PDF and the exports alike.
  const table: DashboardTable | undefined = query.data?.table;
  const ignored = [
    filters.structureId && "la structure",
    filters.siteId && "le site",
    filters.counselorId && "le conseiller",
  ].filter(Boolean);
  return (
    <>
      <ErrorAlert error={query.error} />
      {table && (
        <>
          <DashboardTableSection
            table={table}
            // The paragraph below says which filters the comparison leaves aside (the structure too);
            // the partner filter's note names the columns it does not narrow.
            chosen={filters.partnerId ? { partnerId: filters.partnerId } : {}}
            csvUrl={routeUrl(reportingRoutes.exportTables, {
              query: { ...filters, format: "csv", table: "territories" },
            })}
          />
          <p className="fr-text--sm" style={{ marginTop: "-2.5rem" }}>
            Chaque structure avec ses propres chiffres sur la période
            {filters.partnerId ? " et pour le partenaire choisi" : ""}, aux mêmes règles que le tableau de
            bord
            {ignored.length > 0
              ? ` ; le filtre sur ${frenchList(ignored)} ne s'applique pas à cette comparaison`
              : ""}
            .
            {query.data?.protectedCounts
              ? " Chiffres protégés, chacun modifié séparément : la somme des structures peut différer de quelques unités du total de toutes vos structures."
              : ""}
          </p>
        </>
      )}
    </>
  );
}
