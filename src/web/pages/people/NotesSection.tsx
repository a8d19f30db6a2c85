import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { consentRoutes } from "../../../common/consent/consent.routes";
import {
  type NoteVisibility,
  noteBodySchema,
  noteVisibilities,
  noteVisibilityLabels,
} from "../../../common/consent/consent.schema";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useMutation } from "../../api/useMutation";
import { formatDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { withLengthHint } from "../../components/wording";

const noteLabels = { body: "Nouvelle note", visibility: "Qui pourra la lire" } as const;

/** Notes of one's service, and those the other service shared under the person's consent. */
export function NotesSection({ personId }: { personId: string }): ReactNode {
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const [visibility, setVisibility] = useState<NoteVisibility>("service");
  const query = useQuery({
    queryKey: ["notes", personId],
    queryFn: () => call(consentRoutes.notes, { params: { personId } }),
  });
  // The new note's id, kept until it is saved: sending again after a lost answer is safe (ADR 0036).
  const record = useRecordId(["notes", personId]);
  const errors = useFormErrors("note", noteLabels);
  const add = useMutation({
    mutationFn: () =>
      call(consentRoutes.addNote, { params: { personId }, body: { id: record.id, body, visibility } }),
    onSuccess: async () => {
      setBody("");
      record.saved();
      await queryClient.invalidateQueries({ queryKey: ["notes", personId] });
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(noteBodySchema, { body, visibility })) add.mutate();
  };
  return (
    <>
      <h2>Notes</h2>
      <ErrorAlert error={query.error} />
      {query.data && query.data.notes.length === 0 && <p>Aucune note que vous puissiez lire.</p>}
      <ul className="fr-raw-list" aria-label="Notes de la personne">
        {query.data?.notes.map((n) => (
          <li key={n.id} className="fr-mb-2w">
            <p className="fr-text--xs fr-mb-0">
              {formatDateTime(n.createdAt)} — {n.authorName} ({n.authorServiceName}){" "}
              <Badge small noIcon severity={n.visibility === "shared" ? "new" : "info"}>
                {n.visibility === "shared" ? "Partagée" : "Service"}
              </Badge>
            </p>
            <p className="fr-mb-0">{n.body}</p>
          </li>
        ))}
      </ul>
      {query.data?.permissions.write && (
        <form onSubmit={submit} aria-label="Nouvelle note" noValidate>
          {errors.summary}
          <Input
            label="Nouvelle note"
            {...errors.state("body")}
            hintText={withLengthHint(
              "N'écrivez ni infraction, ni détail de santé, ni jugement sur la personne : seulement ce qui sert son accompagnement.",
              body.length,
              2000,
            )}
            textArea
            nativeTextAreaProps={{
              ...errors.native("body"),
              value: body,
              maxLength: 2000,
              rows: 3,
              onChange: (e) => setBody(e.target.value),
            }}
          />
          <RadioButtons
            legend="Qui pourra la lire"
            orientation="horizontal"
            hintText="Une note partagée n'est lue par l'autre service que si la personne a consenti au partage des notes."
            options={noteVisibilities.map((v) => ({
              label: noteVisibilityLabels[v],
              nativeInputProps: { checked: visibility === v, onChange: () => setVisibility(v) },
            }))}
          />
          <Button type="submit" disabled={add.isPending}>
            Enregistrer la note
          </Button>
        </form>
      )}
    </>
  );
}
