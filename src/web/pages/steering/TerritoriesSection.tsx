import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { reportingRoutes } from "../../../common/reporting/reporting.routes";
import { call, routeUrl } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { shortStructureName } from "./chartLabel";
import { DashboardTableSection } from "./DashboardTableSection";

type Filters = {
  from: string;
  to: string;
  structureId: string;
  siteId: string;
  partnerId: string;
  counselorId: string;
};

/** The structures the user reads, side by side (shown when they read more than one). */
export function TerritoriesSection({ filters }: { filters: Filters }): ReactNode {
  const query = useQuery({
    queryKey: ["reporting", "territories", filters],
    queryFn: () => call(reportingRoutes.territories, { query: filters }),
  });
  const ignored = [
    filters.structureId && "la structure",
    filters.siteId && "le site",
    filters.counselorId && "le conseiller",
  ].filter(Boolean);
  return (
    <>
      <ErrorAlert error={query.error} />
      {query.data && (
        <>
          <DashboardTableSection
            // "SPIP 77 – PIMM'S…", "SPIP 91 – Médiation…": cut on a phone, the full names all read
            // "France services SPIP…" and the bars could not be told apart.
            table={{
              ...query.data.table,
              rows: query.data.table.rows.map((r) => ({ ...r, label: shortStructureName(r.label) })),
            }}
            // The paragraph below says which filters the comparison leaves aside (the structure too).
            chosen={{}}
            csvUrl={routeUrl(reportingRoutes.exportTables, {
              query: { ...filters, format: "csv", table: "territories" },
            })}
          />
          <p className="fr-text--sm" style={{ marginTop: "-2.5rem" }}>
            Chaque structure avec ses propres chiffres sur la période
            {filters.partnerId ? " et pour le partenaire choisi" : ""}, aux mêmes règles que le tableau de
            bord
            {ignored.length > 0
              ? ` ; le filtre sur ${ignored.join(", ")} ne s'applique pas à cette comparaison`
              : ""}
            .
          </p>
        </>
      )}
    </>
  );
}
