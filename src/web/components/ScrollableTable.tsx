import { Table, type TableProps } from "@codegouvfr/react-dsfr/Table";
import { type ReactNode, useId } from "react";

/**
 * A table sorted by one of its columns. The sortable headers are buttons saying the order they give
 * and carry `aria-sort`; where the rows stack (under 768 px, the header row hidden) a select above
 * the table offers the same choices.
 */
export interface ColumnSort<K extends string> {
  /** Each column's sort key, in the headers' order; `undefined` for a column that does not sort. */
  keys: readonly (K | undefined)[];
  by: K | null;
  order: "asc" | "desc";
  onSort(by: K, order: "asc" | "desc"): void;
  /** The select's choice while no column sorts (`by` null), e.g. "Pertinence" for a search. */
  unsortedLabel?: string;
}

export type ScrollableTableProps<K extends string = string> = TableProps & {
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
  /** Sortable columns (their headers must be text). */
  sort?: ColumnSort<K>;
};

/**
 * A DSFR table that scrolls sideways inside its own region on a narrow screen (the page itself never
 * scrolls sideways), or stacks its rows there (`stacked`). The region is focusable, so a keyboard
 * user can scroll it with the arrow keys, and named, so a screen reader says what it holds.
 */
export function ScrollableTable<K extends string = string>({
  label,
  stacked = false,
  stackedTitle = true,
  sort,
  ...table
}: ScrollableTableProps<K>): ReactNode {
  const name = label ?? (typeof table.caption === "string" ? table.caption : undefined);
  return (
    <>
      {sort && stacked && <SortSelect sort={sort} headers={table.headers ?? []} />}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1). */}
      <section className="pa-table-scroll" aria-label={name} tabIndex={0}>
        {stacked || sort ? (
          <OwnTable {...table} stacked={stacked} titled={stackedTitle} sort={sort} />
        ) : (
          <Table {...table} noScroll />
        )}
      </section>
    </>
  );
}

/**
 * The DSFR table's markup (as react-dsfr's Table writes it), with what react-dsfr's cannot carry:
 * the sort buttons and `aria-sort` of the headers, and for stacked rows each cell's column name
 * (`data-label`), which app.css writes before the value where the rows stack. Generated content, it
 * is not part of the cell's text (the journeys' selectors and the cell's name are unchanged) and is
 * hidden from assistive technologies, which announce the column header themselves. The explicit
 * roles keep the table a table for them although the stacked rows are displayed as blocks (some
 * browsers drop the semantics of a table whose display changed).
 */
function OwnTable<K extends string>({
  caption,
  headers = [],
  data,
  noCaption,
  className,
  stacked,
  titled,
  sort,
}: TableProps & { stacked: boolean; titled: boolean; sort: ColumnSort<K> | undefined }): ReactNode {
  return (
    <div
      className={[
        "fr-table fr-table--no-scroll",
        stacked ? "pa-table-stack" : "",
        stacked && titled ? "pa-table-stack--titled" : "",
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
              // biome-ignore lint/suspicious/noArrayIndexKey: columns have no other identity.
              <Header key={j} header={header} column={sort?.keys[j]} sort={sort} />
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
                // An empty cell says nothing: no column name before it where the rows stack.
                const empty = cell === null || cell === undefined || cell === "";
                const labelled = stacked && !empty && (j > 0 || !titled) && typeof header === "string";
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

/** A column header; a sortable one is a button that says the order it gives, and its `aria-sort`. */
function Header<K extends string>({
  header,
  column,
  sort,
}: {
  header: ReactNode;
  column: K | undefined;
  sort: ColumnSort<K> | undefined;
}): ReactNode {
  if (!column || !sort || typeof header !== "string") {
    return (
      // biome-ignore lint/a11y/noRedundantRoles: see OwnTable.
      <th scope="col" role="columnheader">
        {header}
      </th>
    );
  }
  const active = sort.by === column;
  const next = active && sort.order === "asc" ? "desc" : "asc";
  const icon = active
    ? sort.order === "asc"
      ? "fr-icon-arrow-up-line"
      : "fr-icon-arrow-down-line"
    : "fr-icon-arrow-up-down-line";
  return (
    <th
      scope="col"
      // biome-ignore lint/a11y/noRedundantRoles: see OwnTable.
      role="columnheader"
      aria-sort={active ? (sort.order === "asc" ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        className="pa-table-sort"
        onClick={() => sort.onSort(column, next)}
        title={`Trier par ${header.toLowerCase()}, ordre ${next === "asc" ? "croissant" : "décroissant"}`}
      >
        {header} <span className={`${icon} fr-icon--sm`} aria-hidden="true" />
      </button>
    </th>
  );
}

/** Where the rows stack the header row is hidden: the sort is a select above the table (app.css). */
function SortSelect<K extends string>({
  sort,
  headers,
}: {
  sort: ColumnSort<K>;
  headers: readonly ReactNode[];
}): ReactNode {
  const id = useId();
  const choices = sort.keys.flatMap((key, j) => {
    const header = headers[j];
    return key && typeof header === "string" ? [{ key, header }] : [];
  });
  return (
    <div className="fr-select-group pa-table-sort-select">
      <label className="fr-label" htmlFor={id}>
        Trier par
      </label>
      <select
        className="fr-select"
        id={id}
        value={sort.by ? `${sort.by}:${sort.order}` : ""}
        onChange={(e) => {
          const [by, order] = e.target.value.split(":") as [K, "asc" | "desc"];
          sort.onSort(by, order);
        }}
      >
        {sort.by === null && <option value="">{sort.unsortedLabel ?? "Ordre par défaut"}</option>}
        {choices.flatMap(({ key, header }) => [
          <option key={`${key}:asc`} value={`${key}:asc`}>
            {header} (croissant)
          </option>,
          <option key={`${key}:desc`} value={`${key}:desc`}>
            {header} (décroissant)
          </option>,
        ])}
      </select>
    </div>
  );
}
