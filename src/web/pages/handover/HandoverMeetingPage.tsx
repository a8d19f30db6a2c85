import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { Meeting } from "./HandoverPage";

/**
 * One handover meeting, read-only (`/reunions-de-relais/:handoverId`, the link of the invitation):
 * for the agents invited to it — a counselor may not open the person's file before the person is
 * convoked to her — and for whoever reads the file, who finds the link to it here.
 */
export function HandoverMeetingPage(): ReactNode {
  const { handoverId = "" } = useParams();
  const query = useQuery({
    queryKey: ["handover", "meeting", handoverId],
    queryFn: () => call(handoverRoutes.meeting, { params: { handoverId } }),
  });
  usePageTitle(query.data ? `Réunion de passage de relais — ${query.data.personName}` : null);
  if (query.error) return <ErrorAlert error={query.error} title="Réunion inaccessible" />;
  if (!query.data) return <p>Chargement…</p>;
  const page = query.data;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Réunion de passage de relais"
        segments={[{ label: "Accueil", linkProps: { to: "/" } }]}
      />
      <h1>Passage de relais : {page.personName}</h1>
      <Meeting
        meeting={page.meeting}
        pageRelease={null}
        manage={false}
        personId={page.personId}
        sites={[]}
        onNotice={() => {}}
      />
      {page.fileVisible ? (
        <p>
          <Link to={`/personnes/${page.personId}/passage-de-relais`}>
            Voir le passage de relais dans le dossier
          </Link>
        </p>
      ) : (
        <Alert
          severity="info"
          small
          className="fr-mb-3w"
          description="Vous êtes invité·e à cette réunion : vous en voyez l'ordre du jour. Le dossier de la personne vous sera accessible une fois qu'elle vous aura été convoquée."
        />
      )}
    </>
  );
}
