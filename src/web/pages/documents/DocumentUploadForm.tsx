import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { type FormEvent, type ReactNode, useState } from "react";
import { z } from "zod";
import {
  DOCUMENT_ACCEPT,
  type DocumentKind,
  documentKindLabels,
  documentKinds,
  isJudicialKind,
  MAX_DOCUMENT_BYTES,
  uploadFieldsSchema,
} from "../../../common/documents/documents.schema";
import { useRecordId } from "../../api/requestId";
import { useFileUpload } from "../../components/form/useFileUpload";
import { SuccessNotice } from "../../components/SuccessNotice";
import { withLengthHint } from "../../components/wording";
import { uploadDocument } from "./upload";

const labels = { kind: "Type de document", title: "Titre", demarcheId: "Démarche", file: "Fichier" } as const;
const TOO_LARGE =
  "Le fichier dépasse 10 Mo : photographiez le document en qualité normale ou scannez-le en PDF plus léger.";
/** Checked before sending (a browser may not read the answer to a request it is still sending). */
const formSchema = uploadFieldsSchema.extend({
  file: z
    .custom<File>((value) => value instanceof File, "Choisissez un fichier : une photo, un scan ou un PDF.")
    .refine((file) => file.size <= MAX_DOCUMENT_BYTES, TOO_LARGE),
});

/**
 * Adds a document: on a phone or a tablet the field opens the camera (`capture`), elsewhere a file
 * chooser; the server reads the type from the bytes and reduces photos. Shows the upload's progress.
 */
export function DocumentUploadForm({
  personId,
  demarches,
  judicialAllowed,
  defaultDemarcheId = "",
  onUploaded,
}: {
  personId: string;
  demarches: { id: string; label: string }[];
  judicialAllowed: boolean;
  defaultDemarcheId?: string;
  onUploaded: () => void;
}): ReactNode {
  const [kind, setKind] = useState<DocumentKind | "">("");
  const [title, setTitle] = useState("");
  const [demarcheId, setDemarcheId] = useState(defaultDemarcheId);
  const [progress, setProgress] = useState<number | null>(null);
  // The success notice, keyed so that a second document of the same title is said (and focused) again.
  const [done, setDone] = useState<{ key: number; message: string } | null>(null);
  // Chosen when the form opens, kept until saved: sent again after a lost answer, one document (ADR 0036).
  const record = useRecordId(["documents", personId]);
  const upload = useFileUpload({
    idPrefix: "document-upload",
    labels,
    codeFields: {
      "document.noFile": "file",
      "document.tooLarge": "file",
      "document.typeNotAllowed": "file",
      "document.typeMismatch": "file",
      "document.unreadableImage": "file",
      "document.imageTooLarge": "file",
      "document.judicialForbidden": "kind",
      "document.unknownDemarche": "demarcheId",
    },
    schema: formSchema,
    send: (chosen: File) => {
      setProgress(0);
      return uploadDocument(personId, { kind, title, demarcheId, id: record.id }, chosen, (fraction) =>
        setProgress(fraction),
      );
    },
    onSent: (view) => {
      record.saved();
      setDone({ key: Date.now(), message: `Document « ${view.title} » ajouté.` });
      setTitle("");
      setKind("");
      upload.reset();
      setProgress(null);
      onUploaded();
    },
    onRefused: (error) => {
      setProgress(null);
      void record.failed(error);
    },
  });
  const { errors } = upload;
  const submit = (event: FormEvent): void => {
    setDone(null);
    upload.submit(event, { kind: kind || undefined, title, demarcheId });
  };
  const kinds = documentKinds.filter((k) => judicialAllowed || !isJudicialKind(k));
  return (
    <form onSubmit={submit} noValidate aria-label="Ajouter un document" className="fr-mt-3w">
      <h3 className="fr-h6">Ajouter un document</h3>
      {errors.summary}
      {/* The button, disabled while sending, lost the focus: the notice takes it, on top of the form as
          on the other upload forms (the list above grows by the new document). */}
      {done && <SuccessNotice key={done.key} message={done.message} />}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={labels.kind}
            {...errors.state("kind")}
            nativeSelectProps={{
              ...errors.native("kind"),
              value: kind,
              onChange: (e) => setKind(e.target.value as DocumentKind | ""),
            }}
          >
            <option value="">Choisir</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {documentKindLabels[k]}
                {isJudicialKind(k) ? " (judiciaire, réservé au SPIP)" : ""}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label={labels.title}
            hintText={withLengthHint("Par exemple « Carte d'identité recto-verso ».", title.length, 200)}
            {...errors.state("title")}
            nativeInputProps={{
              ...errors.native("title"),
              value: title,
              maxLength: 200,
              onChange: (e) => setTitle(e.target.value),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={labels.demarcheId}
            hint="Facultatif : la démarche que la pièce justifie."
            {...errors.state("demarcheId")}
            nativeSelectProps={{
              ...errors.native("demarcheId"),
              value: demarcheId,
              onChange: (e) => setDemarcheId(e.target.value),
            }}
          >
            <option value="">Aucune (dossier)</option>
            {demarches.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <Upload
        label={labels.file}
        hint="Photo (JPEG, PNG, WebP, HEIC) ou PDF, 10 Mo au plus. Sur téléphone ou tablette, l'appareil photo s'ouvre ; les photos sont réduites et leurs métadonnées (position GPS) effacées."
        {...upload.uploadProps({ accept: DOCUMENT_ACCEPT, capture: "environment" })}
      />
      {progress !== null && (
        <p className="fr-mt-2w fr-mb-0">
          <label htmlFor="document-upload-progress">Envoi en cours : {Math.round(progress * 100)} %</label>
          <br />
          <progress id="document-upload-progress" max={1} value={progress} style={{ width: "100%" }} />
        </p>
      )}
      <Button type="submit" className="fr-mt-2w" disabled={upload.busy}>
        {upload.busy ? "Envoi…" : "Ajouter le document"}
      </Button>
    </form>
  );
}
