import type { ReactNode } from "react";
import { type DashboardTable, formatValue } from "../../../common/reporting/reporting.schema";
import { ScrollableTable } from "../../components/ScrollableTable";
import { TableChart } from "./Chart";

/** One table of the dashboard: its chart, then the same figures as an accessible table. */
export function DashboardTableSection({
  table,
  csvUrl,
}: {
  table: DashboardTable;
  csvUrl: string;
}): ReactNode {
  return (
    <section className="fr-mb-6w" aria-labelledby={`table-${table.id}`}>
      <h2 id={`table-${table.id}`} className="fr-h4">
        {table.title}
      </h2>
      {table.rows.length === 0 ? (
        <p>Aucune donnée sur la période.</p>
      ) : (
        <>
          <TableChart table={table} />
          <ScrollableTable
            caption={`${table.title} (données du graphique)`}
            noCaption={false}
            bordered
            headers={["", ...table.columns.map((c) => c.label)]}
            data={table.rows.map((r) => [
              r.label,
              ...r.values.map((v, i) => formatValue(v, table.columns[i]?.kind ?? "count")),
            ])}
          />
          <a className="fr-link fr-icon-download-line fr-link--icon-left" href={csvUrl} download>
            Télécharger ce tableau (CSV)
          </a>
        </>
      )}
    </section>
  );
}
