import { SearchBar } from "@codegouvfr/react-dsfr/SearchBar";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { peopleRoutes } from "../../../common/people/people.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { PeopleTable } from "./PeopleTable";

export function PeoplePage(): ReactNode {
  usePageTitle("Personnes suivies");
  const [search, setSearch] = useState("");
  const { roles } = useSession();
  const query = useQuery({
    queryKey: ["people", "list", search],
    queryFn: () => call(peopleRoutes.list, { query: { search } }),
  });
  return (
    <>
      <h1>Personnes suivies</h1>
      {roles.includes("probation_officer") && (
        <Link className="fr-btn fr-btn--secondary fr-mb-3w" to="/personnes/nouvelle">
          Ajouter une personne
        </Link>
      )}
      <SearchBar label="Rechercher par nom ou prénom" onButtonClick={setSearch} className="fr-mb-3w" />
      <ErrorAlert error={query.error} />
      {query.isPending && <p>Chargement…</p>}
      {query.data && (
        <PeopleTable
          people={query.data.people}
          emptyText={
            search ? `Aucune personne ne correspond à « ${search} ».` : "Aucune personne à afficher."
          }
        />
      )}
    </>
  );
}
