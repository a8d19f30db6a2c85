import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { type HandoverPage, scheduleHandoverFormSchema } from "../../../common/handover/handover.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { MeetingWhenFields, useMeetingWhen } from "./MeetingFields";

const labels = {
  startsAt: "Date et heure de la réunion",
  durationMinutes: "Durée",
  siteId: "Lieu",
  placeText: "Adresse ou salle",
  releaseDate: "Date de sortie prévue",
  targetStructureId: "Structure qui reprend le suivi",
  agentUserIds: "Agents invités",
  contacts: "Partenaire invité",
  "contacts.0.name": "Nom du participant",
  "contacts.0.email": "Adresse électronique du partenaire",
  "contacts.0.roleLabel": "Organisme du partenaire",
} as const;

/** Schedules the meeting; the invitations (with the calendar file) leave through the outbox. */
export function ScheduleHandoverForm({
  page,
  personId,
  onScheduled,
}: {
  page: HandoverPage;
  personId: string;
  /** Told once the meeting is planned: the form gives way to it, the page says so (and takes the focus). */
  onScheduled: () => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const meeting = useMeetingWhen({ day: "", time: "10:00", duration: "60", siteId: "", placeText: "" });
  const [releaseDate, setReleaseDate] = useState(page.expectedReleaseDate ?? "");
  const [targetStructureId, setTarget] = useState(page.structureId);
  const [agents, setAgents] = useState<string[]>([]);
  const [contact, setContact] = useState({ name: "", email: "", roleLabel: "" });
  const errors = useFormErrors("reunion", labels);
  const body = () => ({
    ...meeting.bodyPart(),
    releaseDate,
    targetStructureId,
    agentUserIds: agents,
    contacts: contact.name || contact.email ? [{ ...contact, directoryContactId: null }] : [],
  });
  const schedule = useMutation({
    mutationFn: () => call(handoverRoutes.schedule, { params: { personId }, body: body() }),
    onSuccess: (data) => {
      queryClient.setQueryData(["handover", personId], data);
      onScheduled();
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (
      errors.check(
        scheduleHandoverFormSchema(() => new Date()),
        body(),
      )
    )
      schedule.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="programmer-titre" className="fr-mb-4w">
      <h2 id="programmer-titre">Programmer la réunion</h2>
      {errors.summary}
      <MeetingWhenFields
        when={meeting.when}
        set={meeting.set}
        errors={errors}
        sites={page.sites}
        durations={["30", "60", "90", "120"]}
        hints
      />
      <Input
        label="Date de sortie prévue"
        {...errors.state("releaseDate")}
        nativeInputProps={{
          ...errors.native("releaseDate"),
          type: "date",
          value: releaseDate,
          onChange: (e) => setReleaseDate(e.target.value),
        }}
      />
      <Select
        label="Structure qui reprend le suivi en milieu ouvert"
        hint="La même structure si le milieu ouvert est un autre service du même SPIP."
        {...errors.state("targetStructureId")}
        nativeSelectProps={{
          ...errors.native("targetStructureId"),
          value: targetStructureId,
          onChange: (e) => setTarget(e.target.value),
        }}
      >
        {page.structures.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </Select>
      {page.agents.length > 0 && (
        <Checkbox
          legend="Agents invités"
          hintText="Ils reçoivent l'invitation par courriel, avec le fichier pour leur agenda."
          id={errors.native("agentUserIds").id}
          {...errors.state("agentUserIds")}
          options={page.agents.map((a) => ({
            label: `${a.name} (${a.roleLabel})`,
            nativeInputProps: {
              checked: agents.includes(a.id),
              onChange: (e) =>
                setAgents(e.target.checked ? [...agents, a.id] : agents.filter((x) => x !== a.id)),
            },
          }))}
        />
      )}
      <fieldset className="fr-fieldset" aria-describedby="partenaire-aide" id={errors.native("contacts").id}>
        <legend className="fr-fieldset__legend">Partenaire invité (facultatif)</legend>
        <p id="partenaire-aide" className="fr-hint-text fr-ml-1w">
          Son invitation ne donne ni la mesure ni l'infraction ; le nom de la personne seulement si son
          consentement nomme ce partenaire.
        </p>
        <div className="fr-fieldset__element">
          <Input
            label="Nom du participant"
            {...errors.state("contacts.0.name")}
            nativeInputProps={{
              ...errors.native("contacts.0.name"),
              value: contact.name,
              onChange: (e) => setContact({ ...contact, name: e.target.value }),
            }}
          />
          <Input
            label="Adresse électronique"
            {...errors.state("contacts.0.email")}
            nativeInputProps={{
              ...errors.native("contacts.0.email"),
              type: "email",
              value: contact.email,
              onChange: (e) => setContact({ ...contact, email: e.target.value }),
            }}
          />
          <Input
            label="Organisme"
            hintText="Par exemple : CAF, SIAO, mission locale."
            {...errors.state("contacts.0.roleLabel")}
            nativeInputProps={{
              ...errors.native("contacts.0.roleLabel"),
              value: contact.roleLabel,
              onChange: (e) => setContact({ ...contact, roleLabel: e.target.value }),
            }}
          />
        </div>
      </fieldset>
      <Button type="submit" disabled={schedule.isPending}>
        Programmer et envoyer les invitations
      </Button>
    </form>
  );
}
