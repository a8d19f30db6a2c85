import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { accompanimentRoutes } from "../../../common/accompaniment/accompaniment.routes";
import { documentsRoutes } from "../../../common/documents/documents.routes";
import {
  type DocumentView,
  documentKindLabels,
  type ShareView,
} from "../../../common/documents/documents.schema";
import { call, routeUrl } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { ConfirmBox } from "../../components/ConfirmBox";
import { formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useDownloads } from "../../components/useDownloads";
import { useStepFocus } from "../../components/useStepFocus";
import { DocumentUploadForm } from "./DocumentUploadForm";
import { ShareForm } from "./ShareForm";
import { formatSize } from "./upload";

/** What withdrawing a share changes, for whom: said before it is done. */
export function withdrawalMeaning(share: ShareView): string {
  switch (share.to) {
    case "orientation":
      return `${share.recipient} ne pourra plus le télécharger depuis l'orientation. Une copie déjà téléchargée n'est pas reprise.`;
    case "structure":
      return `${share.recipient} ne le verra plus dans Passerelle ; le retrait est inscrit à son journal comme au vôtre. Une copie déjà téléchargée n'est pas reprise.`;
    case "outside":
      return `Le partage est noté comme terminé. Le document déjà remis à ${share.recipient} n'est pas repris par Passerelle : prévenez le destinataire si besoin.`;
  }
}

/**
 * « Retirer le partage », asked first: the question says with whom and what it changes. Échap or
 * « Garder le partage » leave it, the focus back on the button (useStepFocus).
 */
function WithdrawShare({
  share,
  onChange,
}: {
  share: ShareView;
  onChange: () => Promise<unknown>;
}): ReactNode {
  const [asking, setAsking] = useState(false);
  const step = useStepFocus(asking, asking ? () => setAsking(false) : undefined);
  const withdraw = useMutation({
    mutationFn: () => call(documentsRoutes.withdrawShare, { params: { shareId: share.id } }),
    // Withdrawn, the share's line reads « Retiré » and takes the focus (the buttons are gone).
    onSuccess: async () => {
      await onChange();
      document.getElementById(`share-${share.id}`)?.focus();
    },
  });
  return (
    <div ref={step.box} className="fr-mt-1v">
      {!asking ? (
        <Button
          size="small"
          priority="tertiary no outline"
          onClick={step.opens(() => setAsking(true))}
          title={`Retirer le partage avec ${share.recipient}`}
        >
          Retirer le partage
        </Button>
      ) : (
        <ConfirmBox
          small
          title={`Retirer le partage avec ${share.recipient} ?`}
          confirmLabel="Confirmer le retrait du partage"
          keepLabel="Garder le partage"
          onConfirm={() => withdraw.mutate()}
          onKeep={() => setAsking(false)}
          busy={withdraw.isPending}
          error={withdraw.error}
        >
          <p className="fr-text--sm fr-mb-1v">{withdrawalMeaning(share)}</p>
        </ConfirmBox>
      )}
    </div>
  );
}

function Shares({
  doc,
  mayWithdraw,
  onChange,
}: {
  doc: DocumentView;
  mayWithdraw: boolean;
  onChange: () => Promise<unknown>;
}): ReactNode {
  if (doc.shares.length === 0) return null;
  return (
    <ul className="fr-text--xs fr-mb-0">
      {doc.shares.map((s) => (
        <li key={s.id} id={`share-${s.id}`} tabIndex={-1}>
          Partagé avec {s.recipient} le {formatShortDate(s.sharedAt)}
          {s.until ? ` jusqu'au ${formatShortDate(s.until)}` : ""} — {s.legalBasis} ({s.reason}){" "}
          {s.live ? (
            mayWithdraw && <WithdrawShare share={s} onChange={onChange} />
          ) : (
            <Badge small noIcon severity="warning">
              {s.withdrawnAt ? "Retiré" : "Inactif (échu ou consentement retiré)"}
            </Badge>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * Removal in two steps: the confirmation says what happens. The focus follows the buttons that
 * replace each other (Escape or "Annuler" back to "Supprimer"); once removed, the row is gone and the
 * section's heading takes it.
 */
function RemoveButton({ doc, onRemoved }: { doc: DocumentView; onRemoved: () => void }): ReactNode {
  const [confirming, setConfirming] = useState(false);
  const [focusOn, setFocusOn] = useState<"remove" | "confirm" | null>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusOn === null) return;
    (focusOn === "remove" ? removeButton : confirmButton).current?.focus();
    setFocusOn(null);
  }, [focusOn]);
  const remove = useMutation({
    mutationFn: () => call(documentsRoutes.remove, { params: { documentId: doc.id } }),
    onSuccess: () => {
      const heading = document.getElementById("documents-title");
      heading?.setAttribute("tabindex", "-1");
      heading?.focus();
      onRemoved();
    },
  });
  const back = () => {
    setConfirming(false);
    setFocusOn("remove");
  };
  const escapeBack = (event: KeyboardEvent) => {
    if (event.key === "Escape") back();
  };
  if (!confirming)
    return (
      <Button
        ref={removeButton}
        size="small"
        priority="tertiary"
        onClick={() => {
          setConfirming(true);
          setFocusOn("confirm");
        }}
        title={`Supprimer « ${doc.title} »`}
      >
        Supprimer
      </Button>
    );
  return (
    <span>
      <ErrorAlert error={remove.error} />
      <span className="fr-text--xs">
        Le document ne sera plus consultable (la suppression reste au journal).{" "}
      </span>
      <Button
        ref={confirmButton}
        size="small"
        nativeButtonProps={{ onKeyDown: escapeBack }}
        onClick={() => remove.mutate()}
        disabled={remove.isPending}
      >
        Confirmer la suppression
      </Button>{" "}
      <Button size="small" priority="secondary" nativeButtonProps={{ onKeyDown: escapeBack }} onClick={back}>
        Annuler
      </Button>
    </span>
  );
}

/**
 * The documents of a person's file (and of its démarches): list, download, upload from a phone's
 * camera, removal, and for the CPIP side the shares. A counselor never receives a judicial one.
 */
export function DocumentsSection({ personId }: { personId: string }): ReactNode {
  const queryClient = useQueryClient();
  const [sharing, setSharing] = useState<string | null>(null);
  const files = useDownloads();
  const query = useQuery({
    queryKey: ["documents", personId],
    queryFn: () => call(documentsRoutes.list, { params: { personId } }),
  });
  const accompaniment = useQuery({
    queryKey: ["accompaniment", personId],
    queryFn: () => call(accompanimentRoutes.get, { params: { personId } }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["documents", personId] });
  const data = query.data;
  const demarches = (accompaniment.data?.demarches ?? []).map((d) => ({
    id: d.id,
    label: `${d.label}${d.partnerName ? ` (${d.partnerName})` : ""}`,
  }));
  return (
    <>
      <h2 id="documents-title">Documents</h2>
      <ErrorAlert error={query.error} />
      {data && data.documents.length === 0 && <p>Aucun document pour l'instant.</p>}
      {data && data.documents.length > 0 && (
        <ScrollableTable
          stacked
          caption="Documents de la personne"
          noCaption
          headers={["Document", "Démarche", "Déposé", "Taille", "Actions"]}
          data={data.documents.map((d) => [
            <span key="doc">
              <a
                href={routeUrl(documentsRoutes.download, { params: { documentId: d.id } })}
                download
                onClick={files.onClick(d.title, d.fileName)}
              >
                {d.title}
                <span className="fr-sr-only"> (télécharger, {formatSize(d.size)})</span>
              </a>
              <br />
              <span className="fr-text--xs">
                {documentKindLabels[d.kind]}
                {d.judicial && (
                  <>
                    {" "}
                    <Badge small noIcon severity="error">
                      Judiciaire
                    </Badge>
                  </>
                )}
              </span>
              <Shares doc={d} mayWithdraw={d.permissions.share} onChange={refresh} />
            </span>,
            d.demarcheLabel ?? "—",
            `${formatShortDate(d.uploadedAt)} par ${d.uploadedByName}`,
            formatSize(d.size),
            // No action: an empty cell, so no bare « Actions : » where the rows stack.
            d.permissions.share || d.permissions.delete ? (
              <span key="actions">
                {d.permissions.share && (
                  <Button
                    size="small"
                    priority="secondary"
                    className="fr-mr-1w"
                    onClick={() => setSharing(sharing === d.id ? null : d.id)}
                    title={`Partager « ${d.title} »`}
                  >
                    Partager
                  </Button>
                )}
                {d.permissions.delete && <RemoveButton doc={d} onRemoved={refresh} />}
              </span>
            ) : null,
          ])}
        />
      )}
      {files.feedback}
      {data?.documents
        .filter((d) => d.id === sharing)
        .map((d) => (
          <ShareForm
            key={d.id}
            doc={d}
            targets={data.shareTargets}
            structures={data.shareStructures}
            onShared={() => {
              setSharing(null);
              void refresh();
            }}
            onCancel={() => setSharing(null)}
          />
        ))}
      {data?.permissions.upload && (
        <DocumentUploadForm
          personId={personId}
          demarches={demarches}
          judicialAllowed={data.permissions.uploadJudicial}
          onUploaded={() => void refresh()}
        />
      )}
    </>
  );
}
