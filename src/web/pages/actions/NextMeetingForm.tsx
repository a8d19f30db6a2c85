import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import { nextMeetingBodySchema, type WorkingGroup } from "../../../common/actions/workingGroup.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { DayAndTimesFields } from "./DayAndTimesFields";

const labels = {
  day: "Date de la réunion",
  startTime: "Heure de début",
  endTime: "Heure de fin",
  siteId: "Lieu",
  address: "Adresse",
} as const;

const OUTSIDE = "outside";

/**
 * "Planifier la prochaine réunion": the next meeting of the series, with the latest one's times and
 * place proposed; the members in use are invited by e-mail (calendar invitation, answer link).
 */
export function NextMeetingForm({
  actionId,
  group,
  sites,
  of = "du groupe",
}: {
  actionId: string;
  group: WorkingGroup;
  sites: { id: string; name: string }[];
  /** "du groupe", "du comité": whose title, theme and organisers the meeting takes. */
  of?: string;
}): ReactNode {
  const queryClient = useQueryClient();
  const last = group.lastMeeting;
  const [form, setForm] = useState({
    day: "",
    startTime: last.startTime,
    endTime: last.endTime,
    place: last.siteId ?? OUTSIDE,
    address: last.address,
  });
  const [planned, setPlanned] = useState<{ id: string; invited: number } | null>(null);
  const errors = useFormErrors(
    "next-meeting",
    labels,
    { "collectiveAction.meetingNotAfterLast": "day", "collectiveAction.unknownChoice": "siteId" },
    "La réunion n'a pas été planifiée",
  );
  const body = () => ({
    day: form.day,
    startTime: form.startTime,
    endTime: form.endTime,
    siteId: form.place === OUTSIDE ? null : form.place,
    address: form.place === OUTSIDE ? form.address.trim() : "",
  });
  const plan = useMutation({
    mutationFn: () => call(actionsRoutes.planNextMeeting, { params: { actionId }, body: body() }),
    onMutate: () => setPlanned(null),
    onSuccess: async (result) => {
      setPlanned(result);
      setForm((f) => ({ ...f, day: "" }));
      await queryClient.invalidateQueries({ queryKey: ["working-group"] });
    },
    onError: (error) => errors.showApiError(error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    if (errors.check(nextMeetingBodySchema, body())) plan.mutate();
  };
  const set = (key: keyof typeof form, value: string) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <form onSubmit={submit} noValidate className="fr-mt-3w">
      <h3 className="fr-h5">Planifier la prochaine réunion</h3>
      <p className="fr-text--sm">
        La réunion reprend l'intitulé, le thème et les organisateurs {of}. Chaque membre reçoit un courriel
        avec l'invitation pour son agenda et un lien pour répondre ; les contacts archivés ne sont pas
        invités.
      </p>
      {errors.summary}
      {planned && (
        <p role="status">
          Réunion planifiée : {planned.invited} membre{planned.invited > 1 ? "s" : ""} invité
          {planned.invited > 1 ? "s" : ""}. <Link to={`/actions/${planned.id}`}>Ouvrir la réunion</Link>
        </p>
      )}
      <DayAndTimesFields errors={errors} labels={labels} value={form} onChange={set} />
      <Select
        className="fr-mt-2w"
        label={labels.siteId}
        {...errors.state("siteId")}
        nativeSelectProps={{
          ...errors.native("siteId"),
          value: form.place,
          onChange: (e) => set("place", e.target.value),
        }}
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
        <option value={OUTSIDE}>Une adresse extérieure</option>
      </Select>
      {form.place === OUTSIDE && (
        <Input
          label={labels.address}
          {...errors.state("address")}
          nativeInputProps={{
            ...errors.native("address"),
            value: form.address,
            maxLength: 300,
            onChange: (e) => set("address", e.target.value),
          }}
        />
      )}
      <Button type="submit" disabled={plan.isPending}>
        Planifier et inviter les membres
      </Button>
    </form>
  );
}
