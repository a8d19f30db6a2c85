import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { importsRoutes } from "../../../common/imports/imports.routes";
import type { ImportCounts, ImportProgress } from "../../../common/imports/imports.schema";
import { call, routeUrl } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useDownloads } from "../../components/useDownloads";
import type { Decisions } from "./PreviewStep";

const n = (value: number) => value.toLocaleString("fr-FR");

/** Sends the batches one after the other until the server says the import is done. */
function useBatches(importId: string, decisions: Decisions) {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    (async () => {
      let current: ImportProgress;
      do {
        current = await call(importsRoutes.run, { params: { importId }, body: decisions });
        setProgress(current);
      } while (!current.done);
    })().catch(setError);
  }, [importId, decisions]);
  return { progress, error };
}

function countsText(c: ImportCounts): string[] {
  return [
    `${n(c.created)} dossier${c.created > 1 ? "s" : ""} créé${c.created > 1 ? "s" : ""}`,
    `${n(c.merged)} dossier${c.merged > 1 ? "s" : ""} existant${c.merged > 1 ? "s" : ""} complété${c.merged > 1 ? "s" : ""}`,
    `${n(c.skipped)} ligne${c.skipped > 1 ? "s" : ""} ignorée${c.skipped > 1 ? "s" : ""}`,
    `${n(c.unchanged)} déjà importée${c.unchanged > 1 ? "s" : ""}`,
    `${n(c.errors)} en erreur`,
  ];
}

function Summary({ importId }: { importId: string }): ReactNode {
  const summary = useQuery({
    queryKey: ["import", importId],
    queryFn: () => call(importsRoutes.summary, { params: { importId } }),
  });
  const files = useDownloads();
  if (!summary.data) return <ErrorAlert error={summary.error} />;
  const { counts, errors } = summary.data;
  return (
    <>
      <Alert
        severity={counts.errors > 0 ? "warning" : "success"}
        title="Import terminé"
        className="fr-mb-3w"
        description={
          <ul>
            {countsText(counts).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        }
      />
      {errors.length > 0 && (
        <ScrollableTable
          caption="Lignes non importées"
          headers={["Ligne", "Motif"]}
          data={errors.map((e) => [String(e.line), e.reason])}
          fixed={false}
        />
      )}
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a
            className="fr-btn fr-btn--secondary"
            href={routeUrl(importsRoutes.report, { params: { importId } })}
            download
            onClick={files.onClick("le bilan ligne par ligne", "bilan-import.csv")}
          >
            Télécharger le bilan ligne par ligne (CSV)
          </a>
        </li>
        <li>
          <Link className="fr-btn" to="/personnes">
            Voir les personnes suivies
          </Link>
        </li>
      </ul>
      {files.feedback}
    </>
  );
}

/** Step 4: the batches with a progress bar, then the summary. */
export function RunStep({ importId, decisions }: { importId: string; decisions: Decisions }): ReactNode {
  const { progress, error } = useBatches(importId, decisions);
  const processed = progress?.processed ?? 0;
  const total = progress?.rowCount ?? 0;
  return (
    <>
      <div className="fr-mb-3w">
        <label htmlFor="import-progress" className="fr-label">
          Progression de l'import
        </label>
        <progress id="import-progress" className="pa-progress" max={total || 1} value={processed} />
        <p role="status" aria-live="polite">
          {progress
            ? `${n(processed)} ligne${processed > 1 ? "s" : ""} traitée${processed > 1 ? "s" : ""} sur ${n(total)}`
            : "Import en cours…"}
        </p>
      </div>
      <ErrorAlert error={error} title="L'import s'est interrompu" />
      {error !== null && (
        <p>
          Les lots déjà importés sont enregistrés : déposez à nouveau le fichier pour reprendre, les lignes
          déjà importées ne changeront pas.
        </p>
      )}
      {progress?.done && <Summary importId={importId} />}
    </>
  );
}
