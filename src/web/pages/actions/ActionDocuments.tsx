import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { z } from "zod";
import { actionsRoutes, MAX_ACTION_DOCUMENT_BYTES } from "../../../common/actions/actions.routes";
import type { ActionDetail } from "../../../common/actions/actions.schema";
import { routeUrl, upload as uploadFile } from "../../api/client";
import { formatShortDateTime } from "../../components/dates";
import { useFileUpload } from "../../components/form/useFileUpload";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useDownloads } from "../../components/useDownloads";

/** Checked before sending: a browser may not get the server's answer to a request it is still sending. */
const fileSchema = z.object({
  file: z
    .instanceof(File, { message: "Choisissez le fichier à joindre (PDF, PNG ou JPEG)." })
    .refine(
      (file) => file.size <= MAX_ACTION_DOCUMENT_BYTES,
      "Le fichier dépasse 10 Mo : réduisez la résolution de la numérisation ou de la photo.",
    ),
});

/**
 * The action's documents (programme, attendance sheet…): the list, and a form to join one. A refused
 * file is said under the file field, like every field error; once joined, the field is emptied and
 * a notice says so.
 */
export function ActionDocuments({ action }: { action: ActionDetail }): ReactNode {
  const queryClient = useQueryClient();
  const [joined, setJoined] = useState<{ key: number; name: string } | null>(null);
  const files = useDownloads();
  const upload = useFileUpload({
    idPrefix: "action-document",
    labels: { file: "Joindre un document" },
    codeFields: { "collectiveAction.notADocument": "file", "collectiveAction.tooLarge": "file" },
    schema: fileSchema,
    send: (chosen: File) =>
      uploadFile(actionsRoutes.uploadDocument, { params: { actionId: action.id }, file: chosen }),
    onSent: (_data, chosen) => {
      upload.reset();
      setJoined({ key: Date.now(), name: chosen.name });
      return queryClient.invalidateQueries({ queryKey: ["convocations", "action", action.id] });
    },
  });
  const submit = (event: FormEvent) => {
    setJoined(null);
    upload.submit(event);
  };
  const mayAdd = action.permissions.edit || action.permissions.recordOutcomes;
  return (
    <section className="fr-mb-6w">
      <h2>Documents</h2>
      {action.documents.length === 0 ? (
        <p>Aucun document joint.</p>
      ) : (
        <ul>
          {action.documents.map((d) => (
            <li key={d.id}>
              <a
                href={routeUrl(actionsRoutes.document, { params: { actionId: action.id, documentId: d.id } })}
                download
                onClick={files.onClick(d.fileName, d.fileName)}
              >
                {d.fileName}
              </a>{" "}
              ({Math.max(1, Math.round(d.size / 1024))} Ko, ajouté le {formatShortDateTime(d.createdAt)})
            </li>
          ))}
        </ul>
      )}
      {files.feedback}
      {mayAdd && (
        <form onSubmit={submit} noValidate aria-label="Joindre un document à l'action">
          {upload.errors.summary}
          {joined && <SuccessNotice key={joined.key} message={`Document « ${joined.name} » joint.`} />}
          <Upload
            className="fr-mb-2w"
            label="Joindre un document"
            hint="PDF, PNG ou JPEG, 10 Mo au plus (programme, feuille d'émargement…)."
            {...upload.uploadProps({ accept: "application/pdf,image/png,image/jpeg" })}
          />
          <Button type="submit" priority="secondary" disabled={upload.busy}>
            {upload.busy ? "Envoi…" : "Joindre"}
          </Button>
        </form>
      )}
    </section>
  );
}
