import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { transferStatusLabels } from "../../../common/handover/handover.schema";
import { call } from "../../api/client";
import { formatDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";

const statusLabel = (kind: "handover" | "transfer", status: string): string =>
  kind === "handover"
    ? "Passage de relais tenu"
    : `Transfert ${transferStatusLabels[status as keyof typeof transferStatusLabels]?.toLowerCase() ?? status}`;

/** "Dossiers transmis": the sending side's read-only history of files passed to another referent or structure. */
export function TransmissionsPage(): ReactNode {
  usePageTitle("Dossiers transmis");
  const query = useQuery({ queryKey: ["transmissions"], queryFn: () => call(handoverRoutes.transmissions) });
  return (
    <>
      <h1>Dossiers transmis</h1>
      <p>
        L'historique, en lecture seule, des dossiers passés au milieu ouvert ou transférés à une autre
        structure.
      </p>
      <ErrorAlert error={query.error} />
      {query.data && query.data.items.length === 0 && <p>Aucun dossier transmis pour l'instant.</p>}
      {query.data && query.data.items.length > 0 && (
        <ScrollableTable
          stacked
          caption="Dossiers transmis"
          noCaption
          headers={["Date", "Personne", "Transmis à", "Référent", "Consentement", "État"]}
          data={query.data.items.map((i) => [
            formatDate(i.at),
            i.personName,
            i.toStructureName,
            i.toReferentName ?? "—",
            i.consentGiven ? "Oui" : "Non",
            statusLabel(i.kind, i.status),
          ])}
        />
      )}
    </>
  );
}
