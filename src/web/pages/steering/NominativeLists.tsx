import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { SegmentedControl } from "@codegouvfr/react-dsfr/SegmentedControl";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import { reportingRoutes } from "../../../common/reporting/reporting.routes";
import {
  NOMINATIVE_EXPORT_RETENTION_DAYS,
  type NominativeKind,
} from "../../../common/reporting/reporting.schema";
import { ApiError, call, fetchFile, routeUrl, saveFile, UNAVAILABLE_MESSAGE } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useStepFocus } from "../../components/useStepFocus";

const kindLabels: Record<NominativeKind, string> = {
  people: "Personnes accompagnées",
  demarches: "Démarches engagées",
};

type Filters = Record<string, string>;

/** The direction's drill-down: the people or démarches behind the figures, and their export. */
export function NominativeLists({ filters }: { filters: Filters }): ReactNode {
  const [kind, setKind] = useState<NominativeKind | null>(null);
  const list = useQuery({
    queryKey: ["reporting", "list", kind, filters],
    queryFn: () => call(reportingRoutes.nominativeList, { query: { ...filters, kind: kind ?? "people" } }),
    enabled: kind !== null,
  });
  return (
    <section className="fr-mt-6w" aria-labelledby="nominative-title">
      <h2 id="nominative-title">Listes nominatives (direction)</h2>
      <p>
        Les personnes et démarches derrière les chiffres, pour la période et les filtres choisis. Chaque
        consultation et chaque export sont inscrits au journal des accès.
      </p>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        {(Object.keys(kindLabels) as NominativeKind[]).map((k) => (
          <li key={k}>
            <Button priority={kind === k ? "primary" : "secondary"} onClick={() => setKind(k)}>
              Voir les {kindLabels[k].toLowerCase()}
            </Button>
          </li>
        ))}
      </ul>
      <ErrorAlert error={list.error} />
      {kind && list.data && (
        <>
          <p role="status">
            {list.data.total} ligne{list.data.total > 1 ? "s" : ""}
            {list.data.truncated
              ? ` ; les ${list.data.rows.length} premières sont affichées, l'export les contient toutes.`
              : "."}
          </p>
          {list.data.rows.length > 0 && (
            <ScrollableTable
              caption={kindLabels[kind]}
              headers={list.data.columns}
              data={list.data.rows.map((r) => [
                <Link key={r.personId} to={`/personnes/${r.personId}`}>
                  {r.cells[0]}
                </Link>,
                ...r.cells.slice(1),
              ])}
            />
          )}
          <NominativeExport kind={kind} filters={filters} total={list.data.total} />
        </>
      )}
    </section>
  );
}

type Progress =
  | { state: "idle" }
  | { state: "confirm" }
  | { state: "running"; rows: number }
  | { state: "done"; purgeBy: string }
  | { state: "failed"; error: unknown };

function NominativeExport({
  kind,
  filters,
  total,
}: {
  kind: NominativeKind;
  filters: Filters;
  total: number;
}): ReactNode {
  const [format, setFormat] = useState<"csv" | "xlsx">("csv");
  const [progress, setProgress] = useState<Progress>({ state: "idle" });
  // The button gives way to the question, and back ("Annuler", Échap): the focus follows.
  const asking = progress.state === "confirm";
  const step = useStepFocus(asking, asking ? () => setProgress({ state: "idle" }) : undefined);
  const run = async () => {
    setProgress({ state: "running", rows: 0 });
    try {
      const response = await fetchFile(
        routeUrl(reportingRoutes.nominativeExport, { query: { ...filters, kind, format } }),
      );
      const reader = response.body?.getReader();
      const chunks: Uint8Array[] = [];
      let lines = 0;
      for (;;) {
        const read = await reader?.read().catch(() => {
          throw new ApiError(503, { code: "service.unavailable", message: UNAVAILABLE_MESSAGE });
        });
        if (!read || read.done) break;
        chunks.push(read.value);
        if (format === "csv") for (const byte of read.value) if (byte === 10) lines += 1;
        setProgress({ state: "running", rows: Math.min(total, Math.max(0, lines - 3)) });
      }
      const type = response.headers.get("content-type") ?? "";
      saveFile(
        new Blob(chunks as BlobPart[], { type }),
        response.headers.get("content-disposition"),
        `export.${format}`,
      );
      setProgress({ state: "done", purgeBy: decodeURIComponent(response.headers.get("x-purge-by") ?? "") });
    } catch (error) {
      // Unavailable, refused or cut while it came: said as every other download says it.
      setProgress({ state: "failed", error });
    }
  };
  return (
    <div className="fr-mt-3w">
      <SegmentedControl
        legend="Format de l'export"
        small
        segments={[
          { label: "CSV", nativeInputProps: { checked: format === "csv", onChange: () => setFormat("csv") } },
          {
            label: "XLSX (Excel)",
            nativeInputProps: { checked: format === "xlsx", onChange: () => setFormat("xlsx") },
          },
        ]}
      />
      <div ref={step.box}>
        {asking ? (
          <Alert
            className="fr-mt-2w"
            severity="warning"
            title={`Exporter ${total} ligne${total > 1 ? "s" : ""} nominative${total > 1 ? "s" : ""} ?`}
            description={
              <>
                <p>
                  Ce fichier contient des données de personnes placées sous main de justice. Conservez-le sur
                  un poste du service et supprimez-le au plus tard {NOMINATIVE_EXPORT_RETENTION_DAYS} jours
                  après l'export. L'export est inscrit au journal des accès.
                </p>
                <ul className="fr-btns-group fr-btns-group--inline-sm">
                  <li>
                    <Button onClick={() => void run()}>Confirmer l'export</Button>
                  </li>
                  <li>
                    <Button priority="secondary" onClick={() => setProgress({ state: "idle" })}>
                      Annuler
                    </Button>
                  </li>
                </ul>
              </>
            }
          />
        ) : (
          <Button
            className="fr-mt-2w"
            iconId="fr-icon-download-line"
            disabled={progress.state === "running" || total === 0}
            onClick={step.opens(() => setProgress({ state: "confirm" }))}
          >
            Exporter la liste
          </Button>
        )}
      </div>
      {progress.state === "running" && (
        <div className="fr-mt-2w" role="status">
          <label htmlFor="export-progress">Export en cours…</label>{" "}
          <progress id="export-progress" max={total} value={format === "csv" ? progress.rows : undefined}>
            {progress.rows} / {total}
          </progress>
        </div>
      )}
      {progress.state === "done" && (
        <Alert
          className="fr-mt-2w"
          severity="success"
          small
          description={`Export téléchargé. À supprimer au plus tard le ${progress.purgeBy}.`}
        />
      )}
      {progress.state === "failed" && <ErrorAlert error={progress.error} title="L'export a échoué" />}
    </div>
  );
}
