import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { Link } from "react-router";
import { needDomains } from "../../../common/agenda/agenda.schema";
import { directoryRoutes } from "../../../common/directory/directory.routes";
import {
  type DirectoryEntry,
  type DirectoryKind,
  directoryKindLabels,
  directoryKinds,
  directoryServiceLabels,
} from "../../../common/directory/directory.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatPhone } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { FilterSelect } from "../../components/FilterSelect";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useAddressFilters } from "../../components/useAddressFilters";

type Service = (typeof needDomains)[number];

/** "CAF de Seine-et-Marne (Opérateur national)", with the IAE kind and "en détention" where relevant. */
export function kindText(e: DirectoryEntry): string {
  if (e.kind !== "iae_employer") return directoryKindLabels[e.kind];
  return `${directoryKindLabels[e.kind]} ${e.iaeKind ?? ""}${e.inPrison ? ", en détention" : ""}`;
}

/** The partners' directory: search by name, kind, service, area (accents do not matter). */
export function DirectoryPage(): ReactNode {
  usePageTitle("Annuaire des partenaires");
  const { structureId } = useSession();
  // The search is in the address: back from an organisation's page finds it as it was.
  const filters = useAddressFilters();
  const q = filters.text("recherche");
  const area = filters.text("territoire");
  const kind = filters.choice("type", directoryKinds);
  const service = filters.choice("service", needDomains);
  const archived = filters.text("archivees") === "oui";
  const search = { q, area };
  const [typed, setTyped] = useState(search);
  // Back, forward or a link: the boxes say what the list shows.
  useEffect(() => setTyped({ q, area }), [q, area]);
  const setKind = (value: DirectoryKind | "") => filters.set({ type: value });
  const setService = (value: Service | "") => filters.set({ service: value });
  const setArchived = (value: boolean) => filters.set({ archivees: value ? "oui" : "" });
  const query = useQuery({
    queryKey: ["directory", structureId, search, kind, service, archived],
    queryFn: () =>
      call(directoryRoutes.list, {
        params: { structureId: structureId ?? "" },
        query: {
          ...search,
          kind: kind || undefined,
          service: service || undefined,
          archived: archived ? "yes" : "no",
        },
      }),
    enabled: Boolean(structureId),
  });
  if (!structureId) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    filters.set({ recherche: typed.q.trim(), territoire: typed.area.trim() });
  };
  const entries = query.data?.entries ?? [];
  return (
    <>
      <h1>Annuaire des partenaires</h1>
      <p>
        Les organisations avec lesquelles la structure travaille et leurs contacts nommés, pour orienter une
        personne ou solliciter un correspondant.
      </p>
      {query.data?.permissions.edit && (
        <Button linkProps={{ to: "/annuaire/nouvelle" }} iconId="fr-icon-add-line" className="fr-mb-3w">
          Ajouter une organisation
        </Button>
      )}
      <form onSubmit={submit} aria-label="Rechercher dans l'annuaire">
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Nom, organisation ou contact"
              nativeInputProps={{
                type: "search",
                value: typed.q,
                onChange: (e) => setTyped((t) => ({ ...t, q: e.target.value })),
              }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label="Territoire (commune, département)"
              nativeInputProps={{
                type: "search",
                value: typed.area,
                onChange: (e) => setTyped((t) => ({ ...t, area: e.target.value })),
              }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <FilterSelect
              label="Type d'organisation"
              value={kind}
              values={directoryKinds}
              labels={directoryKindLabels}
              onChange={setKind}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <FilterSelect
              label="Service proposé"
              value={service}
              values={needDomains}
              labels={directoryServiceLabels}
              onChange={setService}
            />
          </div>
        </div>
        {query.data?.permissions.edit && (
          <Checkbox
            className="fr-mt-2w"
            small
            options={[
              {
                label: "Voir les organisations archivées (pour les restaurer)",
                nativeInputProps: { checked: archived, onChange: (e) => setArchived(e.target.checked) },
              },
            ]}
          />
        )}
        <Button type="submit" iconId="fr-icon-search-line" className="fr-mt-2w fr-mb-3w">
          Rechercher
        </Button>
      </form>
      <ErrorAlert error={query.error} />
      {query.data && entries.length === 0 && (
        <p>
          {archived
            ? "Aucune organisation archivée ne correspond à cette recherche."
            : "Aucune organisation ne correspond à cette recherche. Essayez un autre mot ou retirez un filtre."}
        </p>
      )}
      {entries.length > 0 && (
        <ScrollableTable
          stacked
          caption={`${entries.length} organisation${entries.length > 1 ? "s" : ""}${archived ? ` archivée${entries.length > 1 ? "s" : ""}` : ""}`}
          headers={["Organisation", "Type", "Territoire", "Services", "Contacts"]}
          data={entries.map((e) => [
            <Link key="name" to={`/annuaire/${e.id}`}>
              {e.name}
            </Link>,
            kindText(e),
            e.area || "—",
            e.services.length === 0 ? (
              "—"
            ) : (
              <span key="services">
                {e.services.map((s) => (
                  <Badge key={s} small noIcon className="fr-mr-1v fr-mb-1v">
                    {directoryServiceLabels[s]}
                  </Badge>
                ))}
              </span>
            ),
            e.contacts.length === 0
              ? "—"
              : e.contacts.map((c) => (
                  <span key={c.id} className="directory-contact">
                    {c.name}
                    {c.function ? ` (${c.function})` : ""}
                    {c.phone ? ` — ${formatPhone(c.phone)}` : ""}
                  </span>
                )),
          ])}
        />
      )}
      {query.data?.permissions.edit && entries.length > 0 && (
        <p className="fr-text--sm">
          <Link to="/conventions">Voir le registre des conventions</Link>
        </p>
      )}
    </>
  );
}
