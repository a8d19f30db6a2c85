import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { formatDate, formatDateTime } from "../../../common/dateFormat";
import { frenchList } from "../../../common/frenchList";
import { retentionCountWords } from "../../../common/retention/countWords";
import { retentionRoutes } from "../../../common/retention/retention.routes";
import type { ArchivedFile } from "../../../common/retention/retention.schema";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useModalOpener } from "../../components/modalOpener";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { RetentionSettingsForm } from "./RetentionSettingsForm";

const restoreModal = createModal({ id: "retention-restore", isOpenedByDefault: false });
const runModal = createModal({ id: "retention-run", isOpenedByDefault: false });

function ArchivedTable({
  files,
  onRestore,
}: {
  files: ArchivedFile[];
  onRestore: (f: ArchivedFile, event: { currentTarget: HTMLElement }) => void;
}): ReactNode {
  if (files.length === 0) return <p>Aucun dossier archivé.</p>;
  return (
    <ScrollableTable
      stacked
      stackedTitle={false}
      caption="Dossiers archivés"
      headers={["N°", "Personne", "Fin de mesure", "Archivé le", "Effacement à partir du", "Action"]}
      data={files.map((f) => [
        f.fileNumber,
        <Link key="name" to={`/personnes/${f.id}`}>
          {f.name}
        </Link>,
        f.lastMeasureEnd ? formatDate(f.lastMeasureEnd) : "—",
        formatDate(f.archivedAt),
        formatDate(f.eraseFrom),
        <Button key="restore" size="small" priority="secondary" onClick={(event) => onRestore(f, event)}>
          Restaurer<span className="fr-sr-only"> le dossier n° {f.fileNumber}</span>
        </Button>,
      ])}
    />
  );
}

export function RetentionPage(): ReactNode {
  usePageTitle("Conservation des données");
  const { structureId } = useSession();
  const queryClient = useQueryClient();
  const [restoring, setRestoring] = useState<ArchivedFile | null>(null);
  const key = useMemo(() => ["retention", structureId], [structureId]);
  const preview = useQuery({
    queryKey: key,
    queryFn: () => call(retentionRoutes.preview, { params: { structureId: structureId ?? "" } }),
    enabled: Boolean(structureId),
  });
  const run = useMutation({
    mutationFn: (dryRun: boolean) =>
      call(retentionRoutes.run, { params: { structureId: structureId ?? "" }, body: { dryRun } }),
    onSuccess: (result) => !result.dryRun && queryClient.invalidateQueries({ queryKey: key }),
  });
  const restore = useMutation({
    mutationFn: (f: ArchivedFile) => call(retentionRoutes.restore, { params: { personId: f.id } }),
    onSuccess: () => {
      // A simulation shown before counted the file restored: it no longer says what would happen.
      run.reset();
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const openRun = useModalOpener(runModal);
  const openRestore = useModalOpener(restoreModal);
  // The result of a run, or of a simulation, takes the focus: the button pressed was disabled while
  // it ran (or the modal that asked was closed), and the counts are what the direction waits for.
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (run.data || run.error) result.current?.focus();
  }, [run.data, run.error]);
  if (!structureId) return null;
  const data = preview.data;
  return (
    <>
      <h1>Conservation des données</h1>
      <p>
        Les dossiers sans mesure en cours ni activité sont archivés, puis leurs données personnelles sont
        effacées. Les chiffres du pilotage sont conservés, anonymes. La purge passe chaque jour
        {data?.nextRunAt ? ` (prochain passage : ${formatDateTime(data.nextRunAt)})` : ""}.
      </p>
      {preview.error && <ErrorAlert error={preview.error} />}
      {/* Counting every file of a large structure takes seconds: the page says it is coming. */}
      {preview.isPending && !preview.error && <p>Chargement…</p>}
      {data && (
        <>
          <h2>Au prochain passage</h2>
          <ul>
            {retentionCountWords(data.next).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {data.lastRun && (
            <p className="fr-text--sm">
              Dernier passage le {formatDateTime(data.lastRun.at)} : {data.lastRun.result}.
            </p>
          )}
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button priority="secondary" onClick={() => run.mutate(true)} disabled={run.isPending}>
                Simulation
              </Button>
            </li>
            <li>
              <Button onClick={openRun} disabled={run.isPending}>
                Lancer maintenant
              </Button>
            </li>
          </ul>
          <div ref={result} tabIndex={-1}>
            {run.data && (
              <Alert
                severity={run.data.dryRun ? "info" : "success"}
                className="fr-mb-3w"
                title={run.data.dryRun ? "Simulation : rien n'a été modifié" : "Purge effectuée"}
                description={retentionCountWords(run.data.counts).join(" · ")}
              />
            )}
            {run.error && <ErrorAlert error={run.error} />}
          </div>
          <h2>Dossiers à archiver ({data.toArchive.length})</h2>
          {data.toArchive.length === 0 ? (
            <p>Aucun dossier à archiver.</p>
          ) : (
            <ScrollableTable
              stacked
              stackedTitle={false}
              caption="Dossiers à archiver au prochain passage"
              headers={["N°", "Personne", "Fin de mesure", "Dernière activité"]}
              data={data.toArchive.map((f) => [
                f.fileNumber,
                <Link key="name" to={`/personnes/${f.id}`}>
                  {f.name}
                </Link>,
                f.lastMeasureEnd ? formatDate(f.lastMeasureEnd) : "—",
                formatDate(f.lastActivityAt),
              ])}
            />
          )}
          <h2>Dossiers archivés ({data.archived.length})</h2>
          <p>En lecture seule, visibles de la direction seulement, jusqu'à leur effacement.</p>
          {restore.error && <ErrorAlert error={restore.error} />}
          {/* The restored file's row is gone with its button: the notice takes the focus. */}
          {restore.isSuccess && (
            <SuccessNotice
              message={`Dossier n° ${restore.variables.fileNumber} (${restore.variables.name}) restauré : il revient dans les listes et peut de nouveau être modifié.`}
            />
          )}
          <ArchivedTable
            files={data.archived}
            onRestore={(f, event) => {
              setRestoring(f);
              restore.reset();
              openRestore(event);
            }}
          />
          <h2>Durées de conservation</h2>
          <p className="fr-text--sm">
            Les sessions et tentatives de connexion sont conservées {data.sessionDays} jours (règle
            nationale).
          </p>
          {/* Not remounted when the saved durations come back: it keeps its "Durées enregistrées.". */}
          <RetentionSettingsForm
            structureId={structureId}
            initial={data.settings}
            nextRunAt={data.nextRunAt}
          />
        </>
      )}
      <runModal.Component
        titleAs="h2"
        title="Lancer la purge maintenant ?"
        buttons={[
          { children: "Annuler", priority: "secondary" },
          { children: "Lancer la purge", onClick: () => run.mutate(false) },
        ]}
      >
        <p>
          L'effacement des données personnelles est définitif.{" "}
          {data ? frenchList(retentionCountWords(data.next)) : ""}.
        </p>
      </runModal.Component>
      <restoreModal.Component
        titleAs="h2"
        title="Restaurer ce dossier ?"
        buttons={[
          { children: "Annuler", priority: "secondary" },
          { children: "Restaurer", onClick: () => restoring && restore.mutate(restoring) },
        ]}
      >
        <p>
          {restoring ? `Le dossier n° ${restoring.fileNumber} (${restoring.name})` : "Le dossier"} revient
          dans les listes et peut de nouveau être modifié. Il ne sera pas archivé avant la durée prévue.
        </p>
      </restoreModal.Component>
    </>
  );
}
