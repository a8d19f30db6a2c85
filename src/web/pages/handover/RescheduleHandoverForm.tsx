import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQueryClient } from "@tanstack/react-query";
import type { FormEvent, ReactNode } from "react";
import { parisParts } from "../../../common/dateFormat";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { type HandoverView, rescheduleHandoverBodySchema } from "../../../common/handover/handover.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { parisDayOf } from "../../components/dates";
import { useFormErrors } from "../../components/form/useFormErrors";
import { MeetingWhenFields, useMeetingWhen } from "./MeetingFields";

const labels = {
  startsAt: "Date de la réunion",
  durationMinutes: "Durée",
  siteId: "Lieu",
  placeText: "Adresse ou salle",
} as const;

/** The meeting's Paris day and time ("2027-01-20", "10:00"), to start the form from. */
function parisDayAndTime(iso: string): { day: string; time: string } {
  const { hour, minute } = parisParts(new Date(iso));
  const pad = (n: number) => String(n).padStart(2, "0");
  return { day: parisDayOf(iso), time: `${pad(hour)}:${pad(minute)}` };
}

/**
 * "Déplacer la réunion": a new date, time, duration or place; the participants receive an update of
 * the same calendar event (ADR 0029). The release day does not change here.
 */
export function RescheduleHandoverForm({
  meeting,
  personId,
  sites,
  onDone,
  onClose,
}: {
  meeting: HandoverView;
  personId: string;
  sites: { id: string; name: string }[];
  onDone: () => void;
  onClose: () => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const start = parisDayAndTime(meeting.startsAt);
  const moved = useMeetingWhen({
    ...start,
    duration: String(meeting.durationMinutes),
    siteId: meeting.siteId ?? "",
    placeText: meeting.placeText,
  });
  const errors = useFormErrors(`deplacer-${meeting.id}`, labels);
  const body = moved.bodyPart;
  const move = useMutation({
    mutationFn: () => call(handoverRoutes.reschedule, { params: { handoverId: meeting.id }, body: body() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["handover", personId] });
      onDone();
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(rescheduleHandoverBodySchema, body())) move.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`deplacer-titre-${meeting.id}`} className="fr-mt-2w">
      <h3 id={`deplacer-titre-${meeting.id}`} className="fr-h6">
        Déplacer la réunion
      </h3>
      <p className="fr-hint-text">
        Les participants reçoivent la mise à jour de l'invitation dans leur agenda.
      </p>
      {errors.summary}
      <MeetingWhenFields
        when={moved.when}
        set={moved.set}
        errors={errors}
        sites={sites}
        durations={[...new Set(["30", "60", "90", "120", String(meeting.durationMinutes)])]}
      />
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={move.isPending}>
            Déplacer et prévenir les participants
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={onClose}>
            Ne pas déplacer
          </Button>
        </li>
      </ul>
    </form>
  );
}
