import type { ReactNode } from "react";
import { chartColumns, isEmptyTable, leftOutNote } from "../../../common/reporting/chartColumns";
import { metaOfTable, type NarrowingFilter } from "../../../common/reporting/definitions";
import { type DashboardTable, formatValue } from "../../../common/reporting/reporting.schema";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useDownloads } from "../../components/useDownloads";
import { TableChart } from "./Chart";
import { hasHiddenCount } from "./chartLabel";
import { FilterNotes, useDefinition } from "./Definition";

/** One table of the dashboard: its definition, its chart, then the same figures as an accessible table. */
export function DashboardTableSection({
  table,
  csvUrl,
  chosen,
}: {
  table: DashboardTable;
  csvUrl: string;
  chosen: Partial<Record<NarrowingFilter, string>>;
}): ReactNode {
  const definition = useDefinition(table.title, table.definition);
  const files = useDownloads();
  const leftOut = leftOutNote(chartColumns(table).leftOut);
  return (
    <section className="fr-mb-6w" aria-labelledby={`table-${table.id}`} data-table={table.id}>
      <div style={{ display: "flex", alignItems: "center", flexWrap: "wrap" }}>
        <h2 id={`table-${table.id}`} className="fr-h4 fr-mb-0">
          {table.title}
        </h2>
        {definition.button}
      </div>
      {definition.panel}
      <div className="fr-mt-1w">
        <FilterNotes chosen={chosen} item={table} what="table" />
      </div>
      {isEmptyTable(table) ? (
        <p>Aucune donnée sur la période.</p>
      ) : (
        <>
          <TableChart table={table} />
          {leftOut && <p className="fr-text--xs fr-mt-1v fr-mb-1w">{leftOut}</p>}
          {hasHiddenCount(table) && (
            <p className="fr-text--xs fr-mt-1v fr-mb-1w">
              Barres hachurées et points creux : effectif de 1 à 4, masqué («&nbsp;&lt;&nbsp;5&nbsp;», écrit
              sur le graphique là où la place le permet ; chaque valeur est dans le tableau ci-dessous).
            </p>
          )}
          {/* The table's caption is a title: as far below the chart (or its notes) as a paragraph's end. */}
          <div className="fr-mt-3w">
            <ScrollableTable
              caption={`${table.title} (données du graphique)`}
              noCaption={false}
              bordered
              headers={[metaOfTable(table.id).rows, ...table.columns.map((c) => c.label)]}
              data={table.rows.map((r) => [
                r.label,
                ...r.values.map((v, i) => formatValue(v, table.columns[i]?.kind ?? "count")),
              ])}
            />
          </div>
          <a
            className="fr-link fr-icon-download-line fr-link--icon-left"
            href={csvUrl}
            download
            onClick={files.onClick(table.title, `${table.id}.csv`)}
          >
            Télécharger ce tableau (CSV)
          </a>
          {files.feedback}
        </>
      )}
    </section>
  );
}
