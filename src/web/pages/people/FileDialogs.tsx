import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { demarcheStatusLabels } from "../../../common/accompaniment/accompaniment.schema";
import { orientationStatusLabels } from "../../../common/orientations/orientations.schema";
import {
  type ClosingPreview,
  closeBodySchema,
  closingReasonLabels,
  closingReasons,
  referentBodySchema,
  reopenBodySchema,
} from "../../../common/people/closing.schema";
import { peopleRoutes } from "../../../common/people/people.routes";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { closingConvocationsText, pendingMessagesText } from "../../components/wording";

export const closeModal = createModal({ id: "close-file", isOpenedByDefault: false });
export const reopenModal = createModal({ id: "reopen-file", isOpenedByDefault: false });
export const referentModal = createModal({ id: "change-referent", isOpenedByDefault: false });

/** After a change, the file and its lists are read again. */
function useRefresh(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries();
}

const closeLabels = { reason: "Motif", note: "Précision", closedOn: "Date de clôture" } as const;

function ClosingForm({ personId, preview }: { personId: string; preview: ClosingPreview }): ReactNode {
  const refresh = useRefresh();
  const [form, setForm] = useState({ reason: "end_of_measure", note: "", closedOn: parisDayOf() });
  const [demarches, setDemarches] = useState<Record<string, "keep" | "abandon">>({});
  const [orientations, setOrientations] = useState<Record<string, "keep" | "cancel">>({});
  const errors = useFormErrors("close-file", closeLabels);
  const body = () => ({
    ...form,
    demarches: Object.entries(demarches).map(([id, decision]) => ({ id, decision })),
    orientations: Object.entries(orientations).map(([id, decision]) => ({ id, decision })),
  });
  const close = useMutation({
    mutationFn: () => call(peopleRoutes.close, { params: { personId }, body: body() }),
    onSuccess: async () => {
      closeModal.close();
      await refresh();
    },
    onError: (error) => errors.showApiError(error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(closeBodySchema, body())) close.mutate();
  };
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
    ...errors.native(key),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Clôturer le dossier">
      {errors.summary}
      <p className="fr-text--bold fr-mb-1w">La clôture :</p>
      <ul className="fr-mb-2w">
        <li>{closingConvocationsText(preview.convocations)}</li>
        {pendingMessagesText(preview.pendingMessages) && (
          <li>{pendingMessagesText(preview.pendingMessages)}</li>
        )}
        <li>retire le dossier des listes actives : il reste consultable, en lecture seule.</li>
      </ul>
      <Select label="Motif" {...errors.state("reason")} nativeSelectProps={field("reason")}>
        {closingReasons.map((r) => (
          <option key={r} value={r}>
            {closingReasonLabels[r]}
          </option>
        ))}
      </Select>
      <Input
        label={form.reason === "other" ? "Précision" : "Précision (facultatif)"}
        {...errors.state("note")}
        nativeInputProps={field("note")}
      />
      <Input
        label="Date de clôture"
        {...errors.state("closedOn")}
        nativeInputProps={{ type: "date", ...field("closedOn") }}
      />
      {preview.demarches.map((d) => (
        <Select
          key={d.id}
          label={`Démarche « ${d.label} » (${demarcheStatusLabels[d.status].toLowerCase()})`}
          hint="Laissée ouverte, elle reste suivie par le partenaire."
          nativeSelectProps={{
            value: demarches[d.id] ?? "keep",
            onChange: (e) => setDemarches({ ...demarches, [d.id]: e.target.value as "keep" | "abandon" }),
          }}
        >
          <option value="keep">La laisser ouverte</option>
          <option value="abandon">L'abandonner</option>
        </Select>
      ))}
      {preview.orientations.map((o) => (
        <Select
          key={o.id}
          label={`Orientation vers ${o.label} (${orientationStatusLabels[o.status].toLowerCase()})`}
          disabled={!o.cancellable}
          hint={o.cancellable ? undefined : "Acceptée : elle reste suivie par l'organisme."}
          nativeSelectProps={{
            value: orientations[o.id] ?? "keep",
            onChange: (e) =>
              setOrientations({ ...orientations, [o.id]: e.target.value as "keep" | "cancel" }),
          }}
        >
          <option value="keep">La laisser ouverte</option>
          {o.cancellable && <option value="cancel">L'annuler</option>}
        </Select>
      ))}
      <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
        <li>
          <Button type="submit" disabled={close.isPending}>
            Confirmer la clôture
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={() => closeModal.close()}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

/** The closing confirmation: what will happen, the reason and date, a decision per open item. */
export function CloseFileDialog({ personId }: { personId: string }): ReactNode {
  const open = useIsModalOpen(closeModal);
  const preview = useQuery({
    queryKey: ["people", personId, "closing"],
    queryFn: () => call(peopleRoutes.closingPreview, { params: { personId } }),
    enabled: open,
  });
  return (
    <closeModal.Component titleAs="h2" title="Clôturer le dossier" size="large">
      <ErrorAlert error={preview.error} />
      {open && preview.data && (
        <ClosingForm key={preview.dataUpdatedAt} personId={personId} preview={preview.data} />
      )}
    </closeModal.Component>
  );
}

/** Reopening a closed file: a reason is required. */
export function ReopenDialog({ personId }: { personId: string }): ReactNode {
  const refresh = useRefresh();
  const [reason, setReason] = useState("");
  const errors = useFormErrors("reopen-file", { reason: "Motif de la réouverture" });
  const reopen = useMutation({
    mutationFn: () => call(peopleRoutes.reopen, { params: { personId }, body: { reason } }),
    onSuccess: async () => {
      reopenModal.close();
      setReason("");
      await refresh();
    },
    onError: (error) => errors.showApiError(error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(reopenBodySchema, { reason })) reopen.mutate();
  };
  return (
    <reopenModal.Component titleAs="h2" title="Rouvrir le dossier">
      <form onSubmit={submit} noValidate aria-label="Rouvrir le dossier">
        {errors.summary}
        <Input
          label="Motif de la réouverture"
          hintText="Gardé dans l'historique du dossier."
          {...errors.state("reason")}
          nativeInputProps={{
            value: reason,
            onChange: (e) => setReason(e.target.value),
            ...errors.native("reason"),
          }}
        />
        <Button type="submit" disabled={reopen.isPending}>
          Rouvrir
        </Button>
      </form>
    </reopenModal.Component>
  );
}

/** Moving the file to another CPIP of the structure. */
export function ReferentDialog({ personId }: { personId: string }): ReactNode {
  const refresh = useRefresh();
  const open = useIsModalOpen(referentModal);
  const [userId, setUserId] = useState("");
  const errors = useFormErrors("change-referent", { userId: "Nouveau CPIP référent" });
  const candidates = useQuery({
    queryKey: ["people", personId, "referent-candidates"],
    queryFn: () => call(peopleRoutes.referentCandidates, { params: { personId } }),
    enabled: open,
  });
  const move = useMutation({
    mutationFn: () => call(peopleRoutes.changeReferent, { params: { personId }, body: { userId } }),
    onSuccess: async () => {
      referentModal.close();
      setUserId("");
      await refresh();
    },
    onError: (error) => errors.showApiError(error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(referentBodySchema, { userId })) move.mutate();
  };
  return (
    <referentModal.Component titleAs="h2" title="Changer de CPIP référent">
      <ErrorAlert error={candidates.error} />
      <form onSubmit={submit} noValidate aria-label="Changer de CPIP référent">
        {errors.summary}
        <p className="fr-text--sm">
          Le nouveau référent retrouve la personne sur son accueil (« Les personnes dont je suis référent »),
          dans « Personnes suivies » et dans ses alertes ; le changement est gardé dans l'historique.
        </p>
        <Select
          label="Nouveau CPIP référent"
          {...errors.state("userId")}
          nativeSelectProps={{
            value: userId,
            onChange: (e) => setUserId(e.target.value),
            ...errors.native("userId"),
          }}
        >
          <option value="">Choisir un CPIP</option>
          {(candidates.data?.candidates ?? []).map((c) => (
            <option key={c.userId} value={c.userId}>
              {c.displayName}
            </option>
          ))}
        </Select>
        <Button type="submit" disabled={move.isPending}>
          Confier le dossier
        </Button>
      </form>
    </referentModal.Component>
  );
}
