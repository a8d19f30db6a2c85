import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { accompanimentRoutes } from "../../../common/accompaniment/accompaniment.routes";
import {
  type Autonomy,
  autonomyLabels,
  autonomyLevels,
  type DemarcheChange,
  type NeedInput,
  type NewDemarche,
  recordVisitFormSchema,
} from "../../../common/accompaniment/accompaniment.schema";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { needDomainList } from "../../../common/agenda/agenda.schema";
import { typedNumber } from "../../../common/fields";
import { peopleRoutes } from "../../../common/people/people.routes";
import { ofName } from "../../../common/placeName";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatAppointment } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useLeaveWarning } from "../../components/form/useLeaveWarning";
import { usePageTitle } from "../../components/pageTitle";
import { withLengthHint } from "../../components/wording";
import { BookingRequest } from "../agenda/ConvocationTable";
import { type NeedsDraft, NeedsForm } from "./NeedsForm";
import { NewDemarchesForm } from "./NewDemarchesForm";
import { isVisitAlreadyRecorded, VisitAlreadyRecorded } from "./VisitAlreadyRecorded";
import { OpenDemarchesForm } from "./VisitDemarches";
import { VisitNotReady } from "./VisitNotReady";

const rowFields = {
  demarcheTypeId: "démarche",
  helpLevel: "niveau d'aide",
  status: "statut",
  timeSpentMinutes: "temps passé",
  nextStep: "prochaine étape",
  dueDate: "à faire avant le",
} as const;

/** The visit's fields in their order on the page, with those of each démarche row. */
function visitLabels(updatedLabels: string[], createdCount: number): Record<string, string> {
  const labels: Record<string, string> = {
    durationMinutes: "Durée",
    autonomy: "Autonomie numérique",
  };
  updatedLabels.forEach((label, i) => {
    labels[`updated.${i}.status`] = `${label} : statut`;
    labels[`updated.${i}.nextStep`] = `${label} : résultat ou prochaine étape`;
    labels[`updated.${i}.timeSpentMinutes`] = `${label} : temps passé`;
  });
  for (let i = 0; i < createdCount; i++)
    for (const [field, name] of Object.entries(rowFields))
      labels[`created.${i}.${field}`] = `Nouvelle démarche ${i + 1} : ${name}`;
  labels.needs = "Besoins";
  labels.suggestNextInDays = "Nouvelle convocation";
  labels.suggestion = "Pour quoi faire";
  return labels;
}

/**
 * The counselor's visit, on one page: how long, how autonomous, the démarches worked on or
 * started, the needs re-assessed, and the next convocation suggested to the referent CPIP.
 */
export function VisitPage(): ReactNode {
  const { personId = "", convocationId = "" } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const person = useQuery({
    queryKey: ["people", personId],
    queryFn: () => call(peopleRoutes.get, { params: { personId } }),
  });
  const convocations = useQuery({
    queryKey: ["convocations", "person", personId],
    queryFn: () => call(agendaRoutes.list, { query: { personId } }),
  });
  const accompaniment = useQuery({
    queryKey: ["accompaniment", personId],
    queryFn: () => call(accompanimentRoutes.get, { params: { personId } }),
  });
  const [duration, setDuration] = useState("45");
  const [autonomy, setAutonomy] = useState<Autonomy | "">("");
  const [updated, setUpdated] = useState<Record<string, DemarcheChange>>({});
  const [created, setCreated] = useState<NewDemarche[]>([]);
  const [needs, setNeeds] = useState<NeedsDraft>({});
  const [nextInDays, setNextInDays] = useState("");
  const [suggestion, setSuggestion] = useState("");
  const updatedIds = Object.keys(updated);
  const labels = visitLabels(
    updatedIds.map((id) => accompaniment.data?.demarches.find((d) => d.id === id)?.label ?? "Démarche"),
    created.length,
  );
  const errors = useFormErrors("visit", labels);

  const body = () => ({
    durationMinutes: typedNumber(duration),
    autonomy: autonomy || undefined,
    updated: Object.entries(updated).map(([id, change]) => ({ id, ...change })),
    created,
    needs: Object.values(needs).filter((n): n is NeedInput => n !== undefined),
    suggestNextInDays: nextInDays.trim() ? typedNumber(nextInDays) : null,
    suggestion,
  });
  const save = useMutation({
    mutationFn: () => call(accompanimentRoutes.recordVisit, { params: { convocationId }, body: body() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["accompaniment"] });
      await queryClient.invalidateQueries({ queryKey: ["convocations"] });
      // The file's summary: last visit, needs and démarches in progress.
      await queryClient.invalidateQueries({ queryKey: ["people", personId] });
      navigate(`/personnes/${personId}?visite=enregistree`);
    },
    // Recorded meanwhile (another tab, a colleague): nothing was written twice; the page reads the
    // convocation and the file again to show the visit that stands, in place of the form.
    onError: async (error) => {
      if (!isVisitAlreadyRecorded(error)) return errors.showApiError(error);
      await queryClient.invalidateQueries({ queryKey: ["accompaniment", personId] });
      await queryClient.invalidateQueries({ queryKey: ["convocations"] });
      await queryClient.invalidateQueries({ queryKey: ["people", personId] });
    },
  });
  const alreadyRecorded = isVisitAlreadyRecorded(save.error) ? save.error : null;
  // Something typed and not saved yet: a reload or a closed tab asks first.
  useLeaveWarning(
    !alreadyRecorded &&
      (duration !== "45" ||
        autonomy !== "" ||
        updatedIds.length > 0 ||
        created.length > 0 ||
        Object.keys(needs).length > 0 ||
        nextInDays !== "" ||
        suggestion !== ""),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(recordVisitFormSchema, body())) save.mutate();
  };
  const convocation = convocations.data?.convocations.find((c) => c.id === convocationId);
  const name = person.data ? `${person.data.lastName.toUpperCase()} ${person.data.firstName}` : "…";
  usePageTitle(person.data ? `Visite ${ofName(name)}` : null);
  return (
    <>
      <Breadcrumb
        currentPageLabel="Visite"
        segments={[
          { label: "Personnes suivies", linkProps: { to: "/personnes" } },
          { label: name, linkProps: { to: `/personnes/${personId}` } },
        ]}
      />
      <h1>Visite {ofName(name)}</h1>
      {convocation && (
        <p className="fr-text--lead">
          {formatAppointment(convocation.startsAt)}, {convocation.siteName}
        </p>
      )}
      {convocation && (
        <div className="fr-highlight fr-mb-4w">
          <p className="fr-text--sm fr-mb-1v">
            Motifs de la convocation : {needDomainList(convocation.needDomains) || "aucun indiqué"}
          </p>
          <BookingRequest c={convocation} />
        </div>
      )}
      <ErrorAlert error={person.error ?? convocations.error ?? accompaniment.error} />
      {alreadyRecorded && (
        <VisitAlreadyRecorded
          error={alreadyRecorded}
          personId={personId}
          visit={accompaniment.data?.visits.find((v) => v.convocationId === convocationId)}
        />
      )}
      {convocations.data && !convocation?.permissions.recordVisit && !alreadyRecorded && (
        <VisitNotReady convocation={convocation} />
      )}
      {accompaniment.data && convocation?.permissions.recordVisit && !alreadyRecorded && (
        <form onSubmit={submit} aria-label="Visite" noValidate>
          {errors.summary}
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-3">
              <Input
                label="Durée (minutes)"
                {...errors.state("durationMinutes")}
                nativeInputProps={{
                  ...errors.native("durationMinutes"),
                  inputMode: "numeric",
                  type: "number",
                  min: 5,
                  max: 480,
                  value: duration,
                  onChange: (e) => setDuration(e.target.value),
                }}
              />
            </div>
          </div>
          <RadioButtons
            legend="Autonomie numérique de la personne pendant cette visite"
            orientation="horizontal"
            {...errors.state("autonomy")}
            id={errors.native("autonomy").id}
            options={autonomyLevels.map((level) => ({
              label: autonomyLabels[level],
              nativeInputProps: {
                checked: autonomy === level,
                onChange: () => setAutonomy(level),
              },
            }))}
          />
          <OpenDemarchesForm
            demarches={accompaniment.data.demarches}
            value={updated}
            onChange={setUpdated}
            errors={errors}
            keyOf={(id, field) => `updated.${updatedIds.indexOf(id)}.${field}`}
          />
          <NewDemarchesForm
            value={created}
            onChange={setCreated}
            open={accompaniment.data.demarches}
            errors={errors}
            keyOf={(i, field) => `created.${i}.${field}`}
          />
          <NeedsForm
            current={accompaniment.data.needs}
            value={needs}
            onChange={setNeeds}
            visitStartsAt={convocation.startsAt}
          />
          {errors.message("needs") && (
            <p className="fr-error-text" id={errors.native("needs").id} tabIndex={-1}>
              {errors.message("needs")}
            </p>
          )}
          <h2>Suite</h2>
          <Select
            label="Proposer au CPIP une nouvelle convocation"
            {...errors.state("suggestNextInDays")}
            nativeSelectProps={{
              ...errors.native("suggestNextInDays"),
              value: nextInDays,
              onChange: (e) => setNextInDays(e.target.value),
            }}
          >
            <option value="">Pas de nouvelle convocation nécessaire</option>
            <option value="7">Dans la semaine</option>
            <option value="15">Sous 15 jours</option>
            <option value="30">Dans le mois</option>
            <option value="90">Dans les trois mois</option>
          </Select>
          <Input
            label="Pour quoi faire (facultatif)"
            hintText={withLengthHint("N'indiquez ni infraction ni donnée de santé.", suggestion.length, 300)}
            {...errors.state("suggestion")}
            nativeInputProps={{
              ...errors.native("suggestion"),
              value: suggestion,
              maxLength: 300,
              onChange: (e) => setSuggestion(e.target.value),
            }}
          />
          <Button type="submit" disabled={save.isPending}>
            Enregistrer la visite
          </Button>
        </form>
      )}
    </>
  );
}
