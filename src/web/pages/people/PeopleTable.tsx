import "./people.css";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { PeopleSort, PersonSummary } from "../../../common/people/people.schema";
import { measureTypeLabels, personStatusLabels } from "../../../common/roles";
import { formatShortDate, formatShortDateTime } from "../../components/dates";
import { ScrollableTable } from "../../components/ScrollableTable";

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

/**
 * People as a DSFR table (ScrollableTable `stacked`, ADR 0012): under 768 px each row becomes a
 * block, the name as its title, then one line per column led by its name, and the sort is then a
 * select above the list. With `sort`, the sortable headers are buttons and say their order
 * (aria-sort); without it (on a search, "Pertinence") no column sorts.
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
    <ScrollableTable
      stacked
      className="passerelle-people-table"
      caption={caption}
      noCaption
      label={`${caption} (tableau défilant)`}
      headers={shown.map((c) => c.label)}
      {...(sort && { sort: { ...sort, keys: shown.map((c) => c.sort), unsortedLabel: "Pertinence" } })}
      data={people.map((p) => [
        <Link key="name" to={`/personnes/${p.id}`}>
          {p.lastName.toUpperCase()} {p.firstName}
        </Link>,
        formatShortDate(p.birthDate),
        personStatusLabels[p.status],
        p.measureType ? measureTypeLabels[p.measureType] : "—",
        formatShortDate(p.measureEndDate),
        ...(showReferent ? [p.referentName ?? "—"] : []),
        p.nextConvocationAt ? formatShortDateTime(p.nextConvocationAt) : "—",
      ])}
    />
  );
}
