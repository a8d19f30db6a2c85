import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { z } from "zod";
import { parisDay } from "../../../common/calendar";
import { conventionsRoutes } from "../../../common/conventions/conventions.routes";
import {
  type ConventionView,
  conventionLevelLabels,
  conventionScopeLabels,
  conventionThemeLabels,
  endBodySchemaOn,
  renewBodySchemaOn,
} from "../../../common/conventions/conventions.schema";
import { directoryKindLabels } from "../../../common/directory/directory.schema";
import { call, routeUrl, upload as uploadFile } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { formatDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFileUpload } from "../../components/form/useFileUpload";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useModalOpener } from "../../components/modalOpener";
import { usePageTitle } from "../../components/pageTitle";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useDownloads } from "../../components/useDownloads";
import { ConventionForm } from "./ConventionForm";
import { StatusBadge } from "./ConventionsPage";
import { ConventionFundings } from "./FundingsSection";

const pdfSchema = z.object({
  file: z.instanceof(File, { message: "Choisissez le fichier PDF de la convention signée." }),
});

const EDIT_BUTTON_ID = "convention-edit";

const endModal = createModal({ id: "convention-end", isOpenedByDefault: false });

function daysText(c: ConventionView): string {
  if (c.daysLeft === null || c.status === "ended" || c.status === "draft") return "";
  if (c.daysLeft < 0) return ` (expirée depuis ${-c.daysLeft} jour${c.daysLeft < -1 ? "s" : ""})`;
  if (c.daysLeft === 0) return " (prend fin aujourd'hui)";
  return ` (dans ${c.daysLeft} jour${c.daysLeft > 1 ? "s" : ""})`;
}

function SignedFileForm({ c, onSaved }: { c: ConventionView; onSaved: () => void }): ReactNode {
  const upload = useFileUpload({
    idPrefix: "convention-file",
    labels: { file: "Convention signée (PDF)" },
    codeFields: {
      "convention.notPdf": "file",
      "convention.tooLarge": "file",
      "convention.noFile": "file",
    },
    schema: pdfSchema,
    send: (chosen: File) =>
      uploadFile(conventionsRoutes.uploadSignedFile, { params: { conventionId: c.id }, file: chosen }),
    onSent: onSaved,
  });
  return (
    <form
      onSubmit={(event) => upload.submit(event)}
      noValidate
      aria-label="Joindre la convention signée"
      className="fr-mb-4w"
    >
      {upload.errors.summary}
      <Upload
        label={c.signedFile ? "Remplacer la convention signée" : "Joindre la convention signée"}
        hint="Format PDF, 10 Mo au plus. Le fichier est chiffré ; chaque téléchargement est journalisé."
        {...upload.uploadProps({ accept: ".pdf,application/pdf" })}
      />
      <Button type="submit" priority="secondary" className="fr-mt-2w" disabled={upload.busy}>
        {upload.busy ? "Envoi…" : "Envoyer le PDF"}
      </Button>
    </form>
  );
}

function RenewForm({ c, onSaved }: { c: ConventionView; onSaved: () => void }): ReactNode {
  const [endsOn, setEndsOn] = useState("");
  const [renewedOn, setRenewedOn] = useState(parisDay(new Date()));
  const errors = useFormErrors(
    "convention-renew",
    { endsOn: "Nouvelle date de fin", renewedOn: "Date du renouvellement" },
    { "convention.renewalNotLater": "endsOn" },
  );
  const renew = useMutation({
    mutationFn: () =>
      call(conventionsRoutes.renew, { params: { conventionId: c.id }, body: { endsOn, renewedOn } }),
    onSuccess: onSaved,
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(renewBodySchemaOn(parisDay(new Date())), { endsOn, renewedOn })) renew.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Renouveler la convention" className="fr-mb-4w">
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Nouvelle date de fin"
            {...errors.state("endsOn")}
            nativeInputProps={{
              ...errors.native("endsOn"),
              type: "date",
              value: endsOn,
              onChange: (e) => setEndsOn(e.target.value),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Date du renouvellement"
            {...errors.state("renewedOn")}
            nativeInputProps={{
              ...errors.native("renewedOn"),
              type: "date",
              max: parisDay(new Date()),
              value: renewedOn,
              onChange: (e) => setRenewedOn(e.target.value),
            }}
          />
        </div>
      </div>
      <Button type="submit" className="fr-mt-2w" disabled={renew.isPending}>
        Renouveler la convention
      </Button>
    </form>
  );
}

function EndAction({ c, onSaved }: { c: ConventionView; onSaved: () => void }): ReactNode {
  const [endedOn, setEndedOn] = useState(parisDay(new Date()));
  const errors = useFormErrors("convention-end", { endedOn: "Date de fin de la convention" });
  const end = useMutation({
    mutationFn: () => call(conventionsRoutes.end, { params: { conventionId: c.id }, body: { endedOn } }),
    onSuccess: () => {
      endModal.close();
      onSaved();
    },
    onError: errors.showApiError,
  });
  const openEnd = useModalOpener(endModal);
  return (
    <>
      <Button
        priority="tertiary"
        iconId="fr-icon-close-circle-line"
        iconPosition="left"
        className="fr-mb-2w"
        onClick={openEnd}
      >
        Mettre fin à la convention
      </Button>
      <endModal.Component
        titleAs="h2"
        title="Mettre fin à la convention ?"
        buttons={[
          { children: "Annuler", priority: "secondary", doClosesModal: true },
          {
            children: "Mettre fin à la convention",
            doClosesModal: false,
            onClick: () => {
              if (errors.check(endBodySchemaOn(parisDay(new Date())), { endedOn })) end.mutate();
            },
          },
        ]}
      >
        <p>
          « {c.title} » passera au statut « Terminée ». C'est définitif : elle ne pourra plus être modifiée ni
          renouvelée, et plus aucune alerte ne sera envoyée.
        </p>
        {errors.summary}
        <Input
          label="Date de fin de la convention"
          {...errors.state("endedOn")}
          nativeInputProps={{
            ...errors.native("endedOn"),
            type: "date",
            max: parisDay(new Date()),
            value: endedOn,
            onChange: (e) => setEndedOn(e.target.value),
          }}
        />
      </endModal.Component>
    </>
  );
}

/** A convention: its terms, its signed PDF; the direction renews it, ends it or edits it. */
export function ConventionPage(): ReactNode {
  const { conventionId = "" } = useParams();
  const queryClient = useQueryClient();
  // Each save gives a new notice (its key), which takes the focus: the form or the dialog that had
  // it is gone, and the same words twice ("Convention modifiée.") must be said twice.
  const [notice, setNotice] = useState<{ text: string; key: number } | null>(null);
  const [editing, setEditing] = useState(false);
  // Leaving the form without saving gives the focus back to the button that opened it.
  const [cancelled, setCancelled] = useState(0);
  const files = useDownloads();
  useEffect(() => {
    if (cancelled > 0) document.getElementById(EDIT_BUTTON_ID)?.focus();
  }, [cancelled]);
  // Opening the form replaces the button that had the focus: it goes to the form's first field.
  useEffect(() => {
    if (editing) document.getElementById("convention-title")?.focus();
  }, [editing]);
  const query = useQuery({
    queryKey: ["conventions", "one", conventionId],
    queryFn: () => call(conventionsRoutes.get, { params: { conventionId } }),
  });
  usePageTitle(query.data?.convention.title ?? (query.error ? "Convention introuvable" : null));
  const { structureId } = useSession();
  const refresh = (text: string) => async () => {
    setNotice((previous) => ({ text, key: (previous?.key ?? 0) + 1 }));
    setEditing(false);
    await queryClient.invalidateQueries({ queryKey: ["conventions"] });
  };
  if (query.error)
    return (
      <>
        <h1>Convention introuvable</h1>
        <ErrorAlert error={query.error} />
        <Link to="/conventions">Revenir au registre</Link>
      </>
    );
  if (!query.data || !structureId) return <p>Chargement…</p>;
  const { convention: c, permissions } = query.data;
  const open = c.recordedStatus !== "ended";
  return (
    <>
      <p>
        <Link to="/conventions">Registre des conventions</Link>
      </p>
      <h1>{c.title}</h1>
      <p>
        <StatusBadge status={c.status} />
      </p>
      {notice && <SuccessNotice key={notice.key} message={notice.text} className="fr-mb-3w" />}
      {editing ? (
        <ConventionForm
          structureId={structureId}
          convention={c}
          onSaved={refresh("Convention modifiée.")}
          onCancel={() => {
            setEditing(false);
            setCancelled((n) => n + 1);
          }}
        />
      ) : (
        <dl className="fr-mb-4w">
          {c.reference && (
            <>
              <dt className="fr-text--bold">Référence</dt>
              <dd>{c.reference}</dd>
            </>
          )}
          <dt className="fr-text--bold">Parties</dt>
          <dd>
            {c.parties.length === 0 ? (
              "—"
            ) : (
              <ul className="fr-raw-list">
                {c.parties.map((p) => (
                  <li key={p.directoryEntryId ?? p.label}>
                    {p.label}
                    {p.kind && <span className="fr-text--xs"> — {directoryKindLabels[p.kind]}</span>}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt className="fr-text--bold">Niveau et champ</dt>
          <dd>
            {conventionLevelLabels[c.level]} — {conventionScopeLabels[c.scope]}
          </dd>
          <dt className="fr-text--bold">Thématiques</dt>
          <dd>{c.themes.map((t) => conventionThemeLabels[t]).join(", ") || "—"}</dd>
          <dt className="fr-text--bold">Signée le</dt>
          <dd>{c.signedOn ? formatDate(c.signedOn) : "—"}</dd>
          <dt className="fr-text--bold">Période</dt>
          <dd>
            {c.startsOn ? `du ${formatDate(c.startsOn)}` : "—"}
            {c.endsOn ? ` au ${formatDate(c.endsOn)}${daysText(c)}` : ""}
          </dd>
          {c.renewedOn && (
            <>
              <dt className="fr-text--bold">Renouvelée le</dt>
              <dd>{formatDate(c.renewedOn)}</dd>
            </>
          )}
          {c.endedOn && (
            <>
              <dt className="fr-text--bold">Terminée le</dt>
              <dd>{formatDate(c.endedOn)}</dd>
            </>
          )}
          <dt className="fr-text--bold">Renouvellement</dt>
          <dd>
            {c.tacitRenewal ? "Reconduction tacite. " : ""}
            {c.renewalTerms || (c.tacitRenewal ? "" : "—")}
          </dd>
          <dt className="fr-text--bold">Référent interne</dt>
          <dd>{c.referent?.name ?? "—"}</dd>
          <dt className="fr-text--bold">Convention signée</dt>
          <dd>
            {!c.signedFile ? (
              "Aucun PDF joint."
            ) : permissions.downloadSignedFile ? (
              <>
                <a
                  href={routeUrl(conventionsRoutes.signedFile, { params: { conventionId: c.id } })}
                  download
                  onClick={files.onClick(c.signedFile.name, c.signedFile.name)}
                >
                  Télécharger {c.signedFile.name} ({Math.max(1, Math.round(c.signedFile.size / 1024))} Ko)
                </a>
                {files.feedback}
              </>
            ) : (
              "PDF joint (consultable par la direction)."
            )}
          </dd>
        </dl>
      )}
      {permissions.edit && !editing && <ConventionFundings structureId={structureId} conventionId={c.id} />}
      {permissions.edit && open && !editing && (
        <>
          <SignedFileForm c={c} onSaved={refresh("Convention signée jointe.")} />
          {c.recordedStatus === "signed" && (
            <>
              <h2>Renouveler</h2>
              <RenewForm c={c} onSaved={refresh("Convention renouvelée.")} />
            </>
          )}
          <div className="fr-mt-4w">
            <Button
              priority="secondary"
              iconId="fr-icon-edit-line"
              iconPosition="left"
              className="fr-mr-2w fr-mb-2w"
              nativeButtonProps={{ id: EDIT_BUTTON_ID }}
              onClick={() => {
                setNotice(null);
                setEditing(true);
              }}
            >
              Modifier la convention
            </Button>
            <EndAction c={c} onSaved={refresh("La convention est terminée.")} />
          </div>
        </>
      )}
    </>
  );
}

/** The direction records a convention, then lands on its page to attach the signed PDF. */
export function NewConventionPage(): ReactNode {
  usePageTitle("Enregistrer une convention");
  const { structureId } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  if (!structureId) return null;
  return (
    <>
      <p>
        <Link to="/conventions">Registre des conventions</Link>
      </p>
      <h1>Enregistrer une convention</h1>
      <ConventionForm
        structureId={structureId}
        onSaved={async (saved) => {
          await queryClient.invalidateQueries({ queryKey: ["conventions"] });
          navigate(`/conventions/${saved.convention.id}`);
        }}
      />
    </>
  );
}
