import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { TZDate } from "@date-fns/tz";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { type HandoverView, rescheduleHandoverBodySchema } from "../../../common/handover/handover.schema";
import { call } from "../../api/client";
import { useFormErrors } from "../../components/form/useFormErrors";
import { parisIso } from "./HandoverPage";

const labels = {
  startsAt: "Date de la réunion",
  durationMinutes: "Durée",
  siteId: "Lieu",
  placeText: "Adresse ou salle",
} as const;

/** The meeting's Paris day and time ("2027-01-20", "10:00"), to start the form from. */
function parisDayAndTime(iso: string): { day: string; time: string } {
  const d = new TZDate(new Date(iso).getTime(), "Europe/Paris");
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    day: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
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
  const [day, setDay] = useState(start.day);
  const [time, setTime] = useState(start.time);
  const [duration, setDuration] = useState(String(meeting.durationMinutes));
  const [siteId, setSiteId] = useState(meeting.siteId ?? "");
  const [placeText, setPlaceText] = useState(meeting.placeText);
  const errors = useFormErrors(`deplacer-${meeting.id}`, labels);
  const body = () => ({
    startsAt: day ? parisIso(day, time || "00:00") : "",
    durationMinutes: Number(duration),
    siteId: siteId || null,
    placeText,
  });
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
  const durations = [...new Set(["30", "60", "90", "120", String(meeting.durationMinutes)])];
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`deplacer-titre-${meeting.id}`} className="fr-mt-2w">
      <h3 id={`deplacer-titre-${meeting.id}`} className="fr-h6">
        Déplacer la réunion
      </h3>
      <p className="fr-hint-text">
        Les participants reçoivent la mise à jour de l'invitation dans leur agenda.
      </p>
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <Input
            label="Date de la réunion"
            {...errors.state("startsAt")}
            nativeInputProps={{
              ...errors.native("startsAt"),
              type: "date",
              value: day,
              onChange: (e) => setDay(e.target.value),
            }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-4">
          <Input
            label="Heure"
            nativeInputProps={{ type: "time", value: time, onChange: (e) => setTime(e.target.value) }}
          />
        </div>
        <div className="fr-col-6 fr-col-md-4">
          <Select
            label="Durée"
            {...errors.state("durationMinutes")}
            nativeSelectProps={{
              ...errors.native("durationMinutes"),
              value: duration,
              onChange: (e) => setDuration(e.target.value),
            }}
          >
            {durations.map((d) => (
              <option key={d} value={d}>
                {Number(d) < 60
                  ? `${d} min`
                  : `${Math.floor(Number(d) / 60)} h${Number(d) % 60 ? ` ${Number(d) % 60}` : ""}`}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <Select
        label="Lieu (un site de la structure)"
        {...errors.state("siteId")}
        nativeSelectProps={{
          ...errors.native("siteId"),
          value: siteId,
          onChange: (e) => setSiteId(e.target.value),
        }}
      >
        <option value="">Autre lieu (préciser)</option>
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      <Input
        label="Adresse ou salle"
        {...errors.state("placeText")}
        nativeInputProps={{
          ...errors.native("placeText"),
          value: placeText,
          maxLength: 300,
          onChange: (e) => setPlaceText(e.target.value),
        }}
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
