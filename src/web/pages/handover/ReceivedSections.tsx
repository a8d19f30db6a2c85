import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { documentsRoutes } from "../../../common/documents/documents.routes";
import { documentKindLabels } from "../../../common/documents/documents.schema";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { call, routeUrl } from "../../api/client";
import { formatDate, formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useDownloads } from "../../components/useDownloads";
import { formatSize } from "../documents/upload";

/**
 * The files passed to the structure (a transfer accepted, a handover held): a CPIP sees those where
 * they were chosen as referent, the direction all of them. Read-only: the file itself is the place
 * to act.
 */
export function ReceivedTransfersSection(): ReactNode {
  const query = useQuery({
    queryKey: ["transfers", "received"],
    queryFn: () => call(handoverRoutes.received),
  });
  const data = query.data;
  return (
    <section aria-labelledby="received-title" className="fr-mb-6w">
      <h2 id="received-title">
        {data?.scope === "structure" ? "Dossiers reçus par la structure" : "Dossiers qui vous sont confiés"}
      </h2>
      <p>
        {data?.scope === "structure"
          ? "Les transferts acceptés et les passages de relais tenus vers la structure, avec le CPIP référent choisi."
          : "Les personnes dont le dossier vous a été confié à l'issue d'un transfert ou d'un passage de relais."}
      </p>
      <ErrorAlert error={query.error} />
      {data && data.items.length === 0 && <p>Aucun dossier reçu pour l'instant.</p>}
      {data && data.items.length > 0 && (
        <ScrollableTable
          stacked
          caption="Dossiers reçus"
          noCaption
          headers={["Reçu le", "Personne", "Date de naissance", "Venant de", "Référent", "Consentement"]}
          data={data.items.map((i) => [
            formatShortDate(i.at.slice(0, 10)),
            <Link key="file" to={`/personnes/${i.personId}`}>
              {i.lastName.toUpperCase()} {i.firstName}
              <span className="fr-sr-only">
                {" "}
                ({i.kind === "transfer" ? "transfert" : "passage de relais"})
              </span>
            </Link>,
            formatShortDate(i.birthDate),
            `${i.fromStructureName}${i.kind === "handover" ? " (passage de relais)" : ""}`,
            i.referentName ?? "—",
            i.consentGiven ? "Oui : l'accompagnement a suivi" : "Non : identité et mesure seulement",
          ])}
        />
      )}
    </section>
  );
}

/** Documents another structure shared with this one, each with its legal basis, reason and end. */
export function ReceivedDocumentsSection({ structureId }: { structureId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["documents", "received", structureId],
    queryFn: () => call(documentsRoutes.received, { params: { structureId } }),
  });
  const files = useDownloads();
  const data = query.data;
  return (
    <section aria-labelledby="received-documents-title" className="fr-mb-6w">
      <h2 id="received-documents-title">Documents partagés par d'autres structures</h2>
      <p>
        Chaque document est partagé sous une base légale et jusqu'à une date : après elle, il n'est plus
        lisible. Chaque téléchargement est journalisé.
      </p>
      <ErrorAlert error={query.error} />
      {data && data.documents.length === 0 && <p>Aucun document partagé avec la structure.</p>}
      {data && data.documents.length > 0 && (
        <ScrollableTable
          stacked
          caption="Documents partagés par d'autres structures"
          noCaption
          headers={["Document", "Personne", "Venant de", "Base légale", "Motif", "Partagé jusqu'au"]}
          data={data.documents.map((d) => [
            <span key="doc">
              <a
                href={routeUrl(documentsRoutes.download, { params: { documentId: d.id } })}
                download
                onClick={files.onClick(d.title, d.title)}
              >
                {d.title}
                <span className="fr-sr-only"> (télécharger)</span>
              </a>
              <br />
              <span className="fr-text--xs">
                {documentKindLabels[d.kind]}, {formatSize(d.size)}, le {formatDate(d.sharedAt)}
              </span>
            </span>,
            d.personName,
            d.fromStructure,
            d.legalBasis,
            d.reason,
            d.until ? formatShortDate(d.until) : "—",
          ])}
        />
      )}
      {files.feedback}
    </section>
  );
}
