import { Table, type TableProps } from "@codegouvfr/react-dsfr/Table";
import type { ReactNode } from "react";

export type ScrollableTableProps = TableProps & {
  /** Names the scrollable region for screen readers; defaults to the caption when it is text. */
  label?: string;
  /**
   * Under 768 px, each row becomes a block: its first cell as a title, then one line per other cell,
   * led by its column's name ("Territoire : Meaux"). For lists whose long cells (addresses,
   * descriptions, several contacts) would otherwise make tall, narrow rows to scroll sideways.
   */
  stacked?: boolean;
  /** When the first cell would be a poor title ("12"), it is led by its column's name like the others. */
  stackedTitle?: boolean;
};

/**
 * A DSFR table that scrolls sideways inside its own region on a narrow screen (the page itself never
 * scrolls sideways), or stacks its rows there (`stacked`). The region is focusable, so a keyboard
 * user can scroll it with the arrow keys, and named, so a screen reader says what it holds.
 */
export function ScrollableTable({
  label,
  stacked = false,
  stackedTitle = true,
  ...table
}: ScrollableTableProps): ReactNode {
  const name = label ?? (typeof table.caption === "string" ? table.caption : undefined);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section className="pa-table-scroll" aria-label={name} tabIndex={0}>
      {stacked ? <StackedTable {...table} titled={stackedTitle} /> : <Table {...table} noScroll />}
    </section>
  );
}

/**
 * The DSFR table's markup (as react-dsfr's Table writes it), each cell carrying its column's name
 * (`data-label`), which app.css writes before the value where the rows stack. Generated content, it
 * is not part of the cell's text (the journeys' selectors and the cell's name are unchanged) and is
 * hidden from assistive technologies, which announce the column header themselves. The explicit
 * roles keep the table a table for them although the stacked rows are displayed as blocks (some
 * browsers drop the semantics of a table whose display changed).
 */
function StackedTable({
  caption,
  headers = [],
  data,
  noCaption,
  className,
  titled,
}: TableProps & { titled: boolean }): ReactNode {
  return (
    <div
      className={[
        "fr-table fr-table--no-scroll pa-table-stack",
        titled ? "pa-table-stack--titled" : "",
        noCaption ? "fr-table--no-caption" : "",
        className ?? "",
      ]
        .filter(Boolean)
        .join(" ")}
    >
      {/* biome-ignore lint/a11y/noRedundantRoles: see above, the roles survive the blocks' display. */}
      <table role="table">
        {caption !== undefined && <caption>{caption}</caption>}
        {/* biome-ignore lint/a11y/noRedundantRoles: idem. */}
        <thead role="rowgroup">
          {/* biome-ignore lint/a11y/noRedundantRoles: idem. */}
          <tr role="row">
            {headers.map((header, j) => (
              // biome-ignore lint/a11y/noRedundantRoles lint/suspicious/noArrayIndexKey: idem; columns have no other identity.
              <th key={j} scope="col" role="columnheader">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        {/* biome-ignore lint/a11y/noRedundantRoles: idem. */}
        <tbody role="rowgroup">
          {data.map((row, i) => (
            // biome-ignore lint/a11y/noRedundantRoles lint/suspicious/noArrayIndexKey: idem; as react-dsfr's Table.
            <tr key={i} role="row">
              {row.map((cell, j) => {
                const header = headers[j];
                const labelled = (j > 0 || !titled) && typeof header === "string";
                return (
                  // biome-ignore lint/a11y/noRedundantRoles lint/suspicious/noArrayIndexKey: idem.
                  <td key={j} role="cell" data-label={labelled ? header : undefined}>
                    {cell}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
