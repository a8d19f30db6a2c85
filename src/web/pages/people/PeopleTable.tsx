import { Table } from "@codegouvfr/react-dsfr/Table";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { PersonSummary } from "../../../common/people/people.schema";
import { measureTypeLabels, personStatusLabels } from "../../../common/roles";
import { formatAppointment, formatDate } from "../../components/dates";

export function PeopleTable({
  people,
  emptyText,
}: {
  people: PersonSummary[];
  emptyText: string;
}): ReactNode {
  if (people.length === 0) return <p>{emptyText}</p>;
  return (
    <Table
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
        formatDate(p.birthDate),
        personStatusLabels[p.status],
        p.measureType ? measureTypeLabels[p.measureType] : "—",
        formatDate(p.measureEndDate),
        p.referentName ?? "—",
        p.nextConvocationAt ? formatAppointment(p.nextConvocationAt) : "—",
      ])}
    />
  );
}
