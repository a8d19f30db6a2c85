import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { SegmentedControl } from "@codegouvfr/react-dsfr/SegmentedControl";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import {
  type ActionKind,
  type ActionStatus,
  actionKindLabels,
  actionKinds,
  actionStatusLabels,
} from "../../../common/actions/actions.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatShortDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { FilterSelect } from "../../components/FilterSelect";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useAddressFilters } from "../../components/useAddressFilters";
import { convokedCell } from "../../components/wording";

export function StatusBadge({ status }: { status: ActionStatus }): ReactNode {
  const severity = status === "cancelled" ? "error" : status === "held" ? "success" : "info";
  return (
    <Badge small severity={severity} noIcon>
      {actionStatusLabels[status]}
    </Badge>
  );
}

/** The structure's collective actions, upcoming or past, by kind. */
export function ActionsPage(): ReactNode {
  usePageTitle("Actions collectives");
  const { structureId, roles } = useSession();
  // In the address (`?periode=passees&type=workshop`): back from an action finds the list as it was.
  const filters = useAddressFilters();
  const when = filters.choice("periode", ["passees"] as const) === "passees" ? "past" : "upcoming";
  const kind = filters.choice("type", actionKinds);
  const setWhen = (value: "upcoming" | "past") => filters.set({ periode: value === "past" ? "passees" : "" });
  const setKind = (value: ActionKind | "") => filters.set({ type: value });
  const query = useQuery({
    queryKey: ["actions", structureId, when, kind],
    queryFn: () =>
      call(actionsRoutes.list, {
        params: { structureId: structureId ?? "" },
        query: { when, kind: kind || undefined },
      }),
    enabled: Boolean(structureId),
  });
  const organises = roles.includes("service_manager") || roles.includes("counselor");
  return (
    <>
      <h1>Actions collectives</h1>
      <p>
        Forums emploi, ateliers, informations collectives en détention, réunions plénières et groupes de
        travail : les partenaires invités répondent par un lien, les personnes sont convoquées par leur CPIP.
      </p>
      {organises && (
        <p>
          <Link className="fr-btn fr-icon-add-line fr-btn--icon-left" to="/actions/nouvelle">
            Organiser une action
          </Link>
        </p>
      )}
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-2w">
        <div className="fr-col-12 fr-col-md-6">
          <SegmentedControl
            legend="Période"
            small
            segments={[
              {
                label: "À venir",
                nativeInputProps: { checked: when === "upcoming", onChange: () => setWhen("upcoming") },
              },
              {
                label: "Passées",
                nativeInputProps: { checked: when === "past", onChange: () => setWhen("past") },
              },
            ]}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <FilterSelect
            label="Type d'action"
            value={kind}
            values={actionKinds}
            labels={actionKindLabels}
            onChange={setKind}
          />
        </div>
      </div>
      <ErrorAlert error={query.error} />
      {query.data && query.data.actions.length === 0 && (
        <p>
          {when === "upcoming" ? "Aucune action collective à venir." : "Aucune action collective passée."}
        </p>
      )}
      {query.data && query.data.actions.length > 0 && (
        <ScrollableTable
          stacked
          caption={when === "upcoming" ? "Actions collectives à venir" : "Actions collectives passées"}
          headers={[
            "Date",
            "Action",
            "Type",
            "Lieu",
            "Personnes convoquées",
            "Partenaires (oui / invités)",
            "Statut",
          ]}
          data={query.data.actions.map((a) => [
            formatShortDateTime(a.startsAt),
            <Link key="l" to={`/actions/${a.id}`}>
              {a.title}
            </Link>,
            actionKindLabels[a.kind],
            a.place,
            convokedCell(a.convoked, a.capacity),
            `${a.accepted} / ${a.invited}`,
            <StatusBadge key="s" status={a.status} />,
          ])}
        />
      )}
    </>
  );
}
