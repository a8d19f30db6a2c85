import "./people.css";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { PeopleSort, PersonSummary } from "../../../common/people/people.schema";
import { measureTypeLabels, personStatusLabels } from "../../../common/roles";
import { formatShortDate, formatShortDateTime } from "../../components/dates";

export interface TableSort {
  by: PeopleSort | null;
  order: "asc" | "desc";
  onSort(by: PeopleSort, order: "asc" | "desc"): void;
}

const columns: { label: string; sort?: PeopleSort }[] = [
  { label: "Nom", sort: "name" },
  { label: "Date de naissance", sort: "birthDate" },
  { label: "Situation" },
  { label: "Mesure" },
  { label: "Fin de mesure", sort: "measureEnd" },
  { label: "Référent", sort: "referent" },
  { label: "Prochaine convocation", sort: "nextConvocation" },
];

function Header({
  label,
  column,
  sort,
}: {
  label: string;
  column?: PeopleSort;
  sort?: TableSort;
}): ReactNode {
  if (!column || !sort) return <th scope="col">{label}</th>;
  const active = sort.by === column;
  const ariaSort = active ? (sort.order === "asc" ? "ascending" : "descending") : "none";
  const next = active && sort.order === "asc" ? "desc" : "asc";
  const icon = active
    ? sort.order === "asc"
      ? "fr-icon-arrow-up-line"
      : "fr-icon-arrow-down-line"
    : "fr-icon-arrow-up-down-line";
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button
        type="button"
        className="passerelle-sort"
        onClick={() => sort.onSort(column, next)}
        title={`Trier par ${label.toLowerCase()}, ordre ${next === "asc" ? "croissant" : "décroissant"}`}
      >
        {label} <span className={`${icon} fr-icon--sm`} aria-hidden="true" />
      </button>
    </th>
  );
}

/** On a phone the header row is hidden (the rows stack): the sort is a select there. */
function SortSelect({
  sort,
  columns,
}: {
  sort: TableSort;
  columns: { label: string; sort?: PeopleSort }[];
}): ReactNode {
  const value = sort.by ? `${sort.by}:${sort.order}` : "";
  return (
    <div className="fr-select-group passerelle-sort-select">
      <label className="fr-label" htmlFor="people-sort">
        Trier par
      </label>
      <select
        className="fr-select"
        id="people-sort"
        value={value}
        onChange={(e) => {
          const [by, order] = e.target.value.split(":") as [PeopleSort, "asc" | "desc"];
          sort.onSort(by, order);
        }}
      >
        {sort.by === null && <option value="">Pertinence</option>}
        {columns.flatMap((c) =>
          c.sort
            ? [
                <option key={`${c.sort}:asc`} value={`${c.sort}:asc`}>
                  {c.label} (croissant)
                </option>,
                <option key={`${c.sort}:desc`} value={`${c.sort}:desc`}>
                  {c.label} (décroissant)
                </option>,
              ]
            : [],
        )}
      </select>
    </div>
  );
}

/**
 * People as a DSFR table. Under 768 px each row becomes a block (ScrollableTable's `stacked` markup
 * and styles, ADR 0012): the name as its title, then one line per column led by its name; the sort
 * is then a select above the list. With `sort`, the sortable headers are buttons and say their order
 * (aria-sort).
 */
export function PeopleTable({
  people,
  emptyText,
  caption = "Personnes",
  sort,
}: {
  people: PersonSummary[];
  emptyText: string;
  caption?: string;
  sort?: TableSort;
}): ReactNode {
  if (people.length === 0) return <p>{emptyText}</p>;
  // A column holding the same referent on every row (the CPIP's own list) says nothing: left out.
  const showReferent = new Set(people.map((p) => p.referentName)).size > 1;
  const shown = columns.filter((c) => showReferent || c.sort !== "referent");
  return (
    <>
      {sort && <SortSelect sort={sort} columns={shown} />}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (RGAA 7.3) */}
      <section className="pa-table-scroll" aria-label={`${caption} (tableau défilant)`} tabIndex={0}>
        <div className="fr-table fr-table--no-scroll fr-table--no-caption pa-table-stack pa-table-stack--titled">
          {/* biome-ignore lint/a11y/noRedundantRoles: the roles survive the stacked rows' block display (ScrollableTable). */}
          <table className="passerelle-people-table" role="table">
            <caption>{caption}</caption>
            {/* biome-ignore lint/a11y/noRedundantRoles: idem. */}
            <thead role="rowgroup">
              {/* biome-ignore lint/a11y/noRedundantRoles: idem. */}
              <tr role="row">
                {shown.map((c) => (
                  <Header key={c.label} label={c.label} column={c.sort} sort={sort} />
                ))}
              </tr>
            </thead>
            {/* biome-ignore lint/a11y/noRedundantRoles: idem. */}
            <tbody role="rowgroup">
              {people.map((p) => (
                // biome-ignore lint/a11y/noRedundantRoles: idem.
                <tr key={p.id} role="row">
                  {/* biome-ignore lint/a11y/noRedundantRoles: idem. */}
                  <td role="cell">
                    <Link to={`/personnes/${p.id}`}>
                      {p.lastName.toUpperCase()} {p.firstName}
                    </Link>
                  </td>
                  <Cell label="Date de naissance">{formatShortDate(p.birthDate)}</Cell>
                  <Cell label="Situation">{personStatusLabels[p.status]}</Cell>
                  <Cell label="Mesure">{p.measureType ? measureTypeLabels[p.measureType] : "—"}</Cell>
                  <Cell label="Fin de mesure">{formatShortDate(p.measureEndDate)}</Cell>
                  {showReferent && <Cell label="Référent">{p.referentName ?? "—"}</Cell>}
                  <Cell label="Prochaine convocation">
                    {p.nextConvocationAt ? formatShortDateTime(p.nextConvocationAt) : "—"}
                  </Cell>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** A cell led by its column's name where the rows stack (app.css, `data-label`). */
function Cell({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    // biome-ignore lint/a11y/noRedundantRoles: see PeopleTable.
    <td role="cell" data-label={label}>
      {children}
    </td>
  );
}
