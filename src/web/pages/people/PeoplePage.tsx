import { Button } from "@codegouvfr/react-dsfr/Button";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { PeopleSort } from "../../../common/people/people.schema";
import { useSession } from "../../api/session";
import { formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { PeopleFilters } from "./PeopleFilters";
import { PeopleSearchInput } from "./PeopleSearchInput";
import { PeopleTable } from "./PeopleTable";
import { hasFilters, paramsFromState, usePeopleList } from "./usePeopleList";

export function countText(total: number): string {
  if (total === 0) return "Aucune personne";
  return total === 1 ? "1 personne" : `${total.toLocaleString("fr-FR")} personnes`;
}

/** Said with the count when a name search found nobody but close names. */
export function closeText(count: number): string {
  if (count === 0) return "";
  return count === 1 ? " · 1 nom proche" : ` · ${count} noms proches`;
}

export function PeoplePage(): ReactNode {
  usePageTitle("Personnes suivies");
  const { roles } = useSession();
  const list = usePeopleList();
  const { state, query, update } = list;
  const data = query.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const filtered = hasFilters(state);
  // Without a chosen sort the server sorts by name (by relevance while searching): the header says "name".
  const sortBy: PeopleSort | null = state.sort ?? (state.search ? null : "name");
  return (
    <>
      <h1>Personnes suivies</h1>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        {roles.includes("probation_officer") && (
          <li>
            <Link className="fr-btn fr-btn--secondary fr-icon-add-line" to="/personnes/nouvelle">
              Ajouter une personne
            </Link>
          </li>
        )}
        {(roles.includes("probation_officer") || roles.includes("service_manager")) && (
          <li>
            <Link className="fr-btn fr-btn--tertiary fr-icon-upload-line" to="/personnes/importer">
              Importer des dossiers
            </Link>
          </li>
        )}
      </ul>
      <PeopleSearchInput
        value={state.search ?? ""}
        onSearch={(search) => update({ search }, { replace: true })}
      />
      <PeopleFilters list={list} canBeReferent={roles.includes("probation_officer")} filtered={filtered} />
      <ErrorAlert error={query.error} />
      <p role="status" aria-live="polite" className="fr-text--bold fr-mb-1w">
        {data
          ? `${countText(data.total)}${pages > 1 ? ` · page ${data.page} sur ${pages}` : ""}${closeText(data.closeMatches.length)}`
          : query.isPending
            ? "Chargement…"
            : ""}
      </p>
      {data && (
        <PeopleTable
          people={data.people}
          caption="Personnes suivies"
          emptyText={
            filtered
              ? "Aucune personne ne correspond à cette recherche ou à ces filtres."
              : "Aucune personne à afficher."
          }
          sort={{
            by: sortBy,
            order: state.order ?? "asc",
            onSort: (sort, order) => update({ sort, order }),
          }}
        />
      )}
      {data && data.closeMatches.length > 0 && (
        <section className="fr-mb-3w" aria-labelledby="close-matches">
          <h2 id="close-matches" className="fr-h6 fr-mb-1w">
            Noms proches de votre recherche
          </h2>
          <ul>
            {data.closeMatches.map((p) => (
              <li key={p.id}>
                <Link to={`/personnes/${p.id}`}>
                  {p.lastName.toUpperCase()} {p.firstName}
                </Link>
                , né·e le {formatShortDate(p.birthDate)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {data && data.total === 0 && filtered && (
        <Button priority="secondary" onClick={list.reset}>
          Réinitialiser la recherche et les filtres
        </Button>
      )}
      {data && pages > 1 && (
        <Pagination
          key={data.page}
          count={pages}
          defaultPage={data.page}
          showFirstLast
          getPageLinkProps={(page) => ({ to: `?${paramsFromState({ ...state, page })}` })}
        />
      )}
    </>
  );
}
