import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useMemo, useState } from "react";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { cancelHandoverBodySchema, type HandoverView } from "../../../common/handover/handover.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatDateTime } from "../../components/dates";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useModalOpener } from "../../components/modalOpener";

/**
 * « Annuler la réunion »: a DSFR dialog asks the reason (required, sent to every participant with
 * the calendar cancellation) and says it cannot be undone. The reason typed stays if the answer is
 * lost: sent again, the server answers the cancellation already made and sends nothing more.
 */
export function CancelHandoverAction({
  meeting,
  personId,
  onDone,
}: {
  meeting: HandoverView;
  personId: string;
  onDone: () => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const modal = useMemo(
    () => createModal({ id: `annuler-reunion-${meeting.id}`, isOpenedByDefault: false }),
    [meeting.id],
  );
  const open = useModalOpener(modal);
  const [reason, setReason] = useState("");
  const errors = useFormErrors(`annulation-${meeting.id}`, { reason: "Motif de l'annulation" });
  const cancel = useMutation({
    mutationFn: () => call(handoverRoutes.cancel, { params: { handoverId: meeting.id }, body: { reason } }),
    onSuccess: async () => {
      modal.close();
      await queryClient.invalidateQueries({ queryKey: ["handover", personId] });
      onDone();
    },
    onError: errors.showApiError,
  });
  return (
    <>
      <Button priority="tertiary" onClick={open}>
        Annuler la réunion
      </Button>
      <modal.Component
        titleAs="h2"
        title="Annuler la réunion de passage de relais ?"
        buttons={[
          { children: "Garder la réunion", priority: "secondary", doClosesModal: true },
          {
            children: "Annuler la réunion",
            doClosesModal: false,
            disabled: cancel.isPending,
            onClick: () => {
              if (errors.check(cancelHandoverBodySchema, { reason })) cancel.mutate();
            },
          },
        ]}
      >
        <p>
          Réunion du {formatDateTime(meeting.startsAt)}. L'annulation est définitive : pour préparer la
          sortie, il faudra programmer une nouvelle réunion.
        </p>
        {errors.summary}
        <Input
          label="Motif de l'annulation"
          hintText="Envoyé par courriel à tous les participants, partenaires compris : n'y mettez aucune information sur la situation judiciaire de la personne."
          textArea
          {...errors.state("reason")}
          nativeTextAreaProps={{
            ...errors.native("reason"),
            rows: 3,
            maxLength: 1000,
            value: reason,
            onChange: (e) => setReason(e.target.value),
          }}
        />
      </modal.Component>
    </>
  );
}
