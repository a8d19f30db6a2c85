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

/**
 * People as a DSFR table. Wide: it scrolls sideways inside a region the keyboard can reach (390 px).
 * With `sort`, the sortable headers are buttons and say their order (aria-sort).
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
  return (
    <div className="fr-table fr-table--no-caption fr-table--multiline fr-mb-3w">
      <div className="fr-table__wrapper">
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (RGAA 7.3) */}
        <section className="fr-table__container" aria-label={`${caption} (tableau défilant)`} tabIndex={0}>
          <div className="fr-table__content">
            <table className="passerelle-people-table">
              <caption>{caption}</caption>
              <thead>
                <tr>
                  {columns
                    .filter((c) => showReferent || c.sort !== "referent")
                    .map((c) => (
                      <Header key={c.label} label={c.label} column={c.sort} sort={sort} />
                    ))}
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/personnes/${p.id}`}>
                        {p.lastName.toUpperCase()} {p.firstName}
                      </Link>
                    </td>
                    <td>{formatShortDate(p.birthDate)}</td>
                    <td>{personStatusLabels[p.status]}</td>
                    <td>{p.measureType ? measureTypeLabels[p.measureType] : "—"}</td>
                    <td>{formatShortDate(p.measureEndDate)}</td>
                    {showReferent && <td>{p.referentName ?? "—"}</td>}
                    <td>{p.nextConvocationAt ? formatShortDateTime(p.nextConvocationAt) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </div>
  );
}
