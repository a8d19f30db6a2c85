import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { formatDate } from "../../../common/dateFormat";
import type { PersonFile } from "../../../common/people/people.schema";
import { retentionRoutes } from "../../../common/retention/retention.routes";
import { call, routeUrl } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useModalOpener } from "../../components/modalOpener";
import { useDownloads } from "../../components/useDownloads";

const restoreFileModal = createModal({ id: "file-restore", isOpenedByDefault: false });

/** On an archived file: why it is read-only, and the direction's "Restaurer" (with confirmation). */
export function ArchivedNotice({ file }: { file: PersonFile }): ReactNode {
  const queryClient = useQueryClient();
  const restore = useMutation({
    mutationFn: () => call(retentionRoutes.restore, { params: { personId: file.id } }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const openRestore = useModalOpener(restoreFileModal);
  if (!file.retention.archivedAt) return null;
  return (
    <div className="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w" role="status">
      <p>
        Dossier archivé le {formatDate(file.retention.archivedAt)} (durée de conservation atteinte) : il est
        en lecture seule et n'apparaît plus dans les listes.
      </p>
      {restore.error && <ErrorAlert error={restore.error} />}
      {file.retention.mayRestore && (
        <Button size="small" priority="secondary" className="fr-mt-1w" onClick={openRestore}>
          Restaurer le dossier
        </Button>
      )}
      <restoreFileModal.Component
        titleAs="h2"
        title="Restaurer ce dossier ?"
        buttons={[
          { children: "Annuler", priority: "secondary" },
          { children: "Restaurer", onClick: () => restore.mutate() },
        ]}
      >
        <p>Le dossier revient dans les listes et peut de nouveau être modifié.</p>
      </restoreFileModal.Component>
    </div>
  );
}

/** "Exporter les données (droit d'accès)": the direction downloads everything held, JSON or PDF. */
export function DataExportLinks({ file }: { file: PersonFile }): ReactNode {
  const files = useDownloads();
  if (!file.retention.mayExportData) return null;
  const params = { personId: file.id };
  return (
    <>
      <li>
        <a
          className="fr-btn fr-btn--tertiary fr-btn--sm"
          href={routeUrl(retentionRoutes.exportPdf, { params })}
          download
          onClick={files.onClick("l'export des données (PDF)", "donnees.pdf")}
        >
          Exporter les données (droit d'accès) — PDF
        </a>
      </li>
      <li>
        <a
          className="fr-btn fr-btn--tertiary fr-btn--sm"
          href={routeUrl(retentionRoutes.exportJson, { params })}
          download
          onClick={files.onClick("l'export des données (JSON)", "donnees.json")}
        >
          Exporter les données — JSON
        </a>
      </li>
      <li>{files.feedback}</li>
    </>
  );
}
