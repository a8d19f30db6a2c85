import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import {
  type ConvocationStatus,
  type ConvocationView,
  convocationStatusLabels,
  correctableStatuses,
  correctStatusBodySchema,
} from "../../../common/agenda/agenda.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatAppointment } from "../../components/dates";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = { status: "Bon statut", reason: "Raison de la correction" } as const;

/** "Corriger le statut": the right status and a reason (journaled), inside the table's dialog. */
export function CorrectStatusForm({
  convocation,
  onDone,
}: {
  convocation: ConvocationView;
  /** Closed: with the status saved, nothing when left without correcting. */
  onDone: (corrected?: ConvocationStatus) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const errors = useFormErrors(`correct-${convocation.id}`, labels);
  const [status, setStatus] = useState("");
  const [reason, setReason] = useState("");
  const save = useMutation({
    mutationFn: (body: { status: ConvocationStatus; reason: string }) =>
      call(agendaRoutes.correctStatus, { params: { convocationId: convocation.id }, body }),
    onSuccess: async (_, body) => {
      await queryClient.invalidateQueries({ queryKey: ["convocations"] });
      await queryClient.invalidateQueries({ queryKey: ["home"] });
      await queryClient.invalidateQueries({ queryKey: ["people", convocation.personId] });
      onDone(body.status);
    },
    onError: (error) => errors.showApiError(error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = errors.check(correctStatusBodySchema, { status, reason });
    if (body) save.mutate(body);
  };
  const started = new Date(convocation.startsAt) <= new Date();
  return (
    <form onSubmit={submit} noValidate aria-label="Corriger le statut">
      {errors.summary}
      <p>
        {convocation.personName}, {formatAppointment(convocation.startsAt)} — statut actuel :{" "}
        <strong>{convocationStatusLabels[convocation.status]}</strong>. La correction est journalisée et
        n'envoie aucun nouveau message à la personne, sauf si le bon statut en demande un qu'elle n'a pas
        reçu.
      </p>
      <Select
        label={labels.status}
        {...errors.state("status")}
        nativeSelectProps={{
          ...errors.native("status"),
          value: status,
          onChange: (e) => setStatus(e.target.value),
        }}
      >
        <option value="" disabled>
          Choisissez
        </option>
        {correctableStatuses
          .filter((s) => s !== convocation.status)
          .filter((s) => started || (s !== "honoured" && s !== "missed"))
          .map((s) => (
            <option key={s} value={s}>
              {s === "planned" ? "Prévue (le statut n'aurait pas dû être saisi)" : convocationStatusLabels[s]}
            </option>
          ))}
      </Select>
      <Input
        label={labels.reason}
        hintText="De 3 à 300 caractères. N'indiquez ni infraction ni donnée de santé."
        {...errors.state("reason")}
        nativeInputProps={{
          ...errors.native("reason"),
          value: reason,
          maxLength: 300,
          onChange: (e) => setReason(e.target.value),
        }}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={save.isPending}>
            Enregistrer la correction
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={() => onDone()}>
            Ne pas corriger
          </Button>
        </li>
      </ul>
    </form>
  );
}
