import type { ReactNode } from "react";
import { Link } from "react-router";
import type { PersonSummary } from "../../../common/people/people.schema";
import { measureTypeLabels, personStatusLabels } from "../../../common/roles";
import { formatShortDate, formatShortDateTime } from "../../components/dates";
import { ScrollableTable } from "../../components/ScrollableTable";

export function PeopleTable({
  people,
  emptyText,
}: {
  people: PersonSummary[];
  emptyText: string;
}): ReactNode {
  if (people.length === 0) return <p>{emptyText}</p>;
  return (
    <ScrollableTable
      caption="Personnes"
      noCaption
      headers={[
        "Nom",
        "Date de naissance",
        "Situation",
        "Mesure",
        "Fin de mesure",
        "Référent",
        "Prochaine convocation",
      ]}
      data={people.map((p) => [
        <Link key={p.id} to={`/personnes/${p.id}`}>
          {p.lastName.toUpperCase()} {p.firstName}
        </Link>,
        formatShortDate(p.birthDate),
        personStatusLabels[p.status],
        p.measureType ? measureTypeLabels[p.measureType] : "—",
        formatShortDate(p.measureEndDate),
        p.referentName ?? "—",
        p.nextConvocationAt ? formatShortDateTime(p.nextConvocationAt) : "—",
      ])}
    />
  );
}
