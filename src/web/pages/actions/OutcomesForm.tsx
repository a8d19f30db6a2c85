import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import {
  type ActionDetail,
  isSeriesKind,
  type OutcomeKey,
  outcomeLabels,
  outcomesOfKind,
} from "../../../common/actions/actions.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = {
  presentInvitationIds: "Partenaires présents",
  "outcomes.interviews": outcomeLabels.interviews,
  "outcomes.hires": outcomeLabels.hires,
  "outcomes.iaeOrientations": outcomeLabels.iaeOrientations,
  "outcomes.participants": outcomeLabels.participants,
  minutes: "Compte rendu",
  decisions: "Décisions",
} as const;

/** After the action started: partners present, outcomes of its kind, minutes and decisions. */
export function OutcomesForm({ action }: { action: ActionDetail }): ReactNode {
  const queryClient = useQueryClient();
  const keys = outcomesOfKind[action.kind];
  const [present, setPresent] = useState<string[]>(
    action.invitations.filter((i) => i.present).map((i) => i.id),
  );
  const [counts, setCounts] = useState<Record<string, string>>(
    Object.fromEntries(
      keys.map((k) => [k, action.outcomes[k] === undefined ? "" : String(action.outcomes[k])]),
    ),
  );
  const [minutes, setMinutes] = useState(action.minutes);
  const [decisions, setDecisions] = useState(action.decisions);
  const [saved, setSaved] = useState(false);
  const errors = useFormErrors("outcomes", labels, {}, "Le bilan n'a pas été enregistré");
  const save = useMutation({
    mutationFn: () =>
      call(actionsRoutes.outcomes, {
        params: { actionId: action.id },
        body: {
          held: true,
          presentInvitationIds: present,
          minutes,
          decisions,
          outcomes: Object.fromEntries(
            keys.filter((k) => counts[k]?.trim()).map((k) => [k, Number(counts[k])]),
          ) as Partial<Record<OutcomeKey, number>>,
        },
      }),
    onMutate: () => {
      errors.clear();
      setSaved(false);
    },
    onSuccess: async () => {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ["convocations", "action", action.id] });
    },
    onError: (error) => errors.showApiError(error),
  });
  const series = isSeriesKind(action.kind);
  const withMinutes = series || action.kind === "plenary";
  return (
    <section className="fr-mb-6w">
      <h2>Bilan de l'action</h2>
      {!series && (
        <p className="fr-text--sm">
          La présence des personnes se renseigne ci-dessus, convocation par convocation (honorée, absence).
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
      >
        {errors.summary}
        {saved && <p role="status">Bilan enregistré.</p>}
        {action.invitations.length > 0 && (
          <Checkbox
            legend={series ? "Membres présents" : labels.presentInvitationIds}
            id={errors.native("presentInvitationIds").id}
            {...errors.state("presentInvitationIds")}
            small
            options={action.invitations.map((i) => ({
              label: `${i.name}${i.organisation ? ` — ${i.organisation}` : ""}`,
              nativeInputProps: {
                checked: present.includes(i.id),
                onChange: (e) =>
                  setPresent(e.target.checked ? [...present, i.id] : present.filter((id) => id !== i.id)),
              },
            }))}
          />
        )}
        <div className="fr-grid-row fr-grid-row--gutters">
          {keys.map((k) => (
            <div key={k} className="fr-col-12 fr-col-md-4">
              <Input
                label={outcomeLabels[k]}
                {...errors.state(`outcomes.${k}`)}
                nativeInputProps={{
                  ...errors.native(`outcomes.${k}`),
                  type: "number",
                  inputMode: "numeric",
                  min: 0,
                  value: counts[k] ?? "",
                  onChange: (e) => setCounts({ ...counts, [k]: e.target.value }),
                }}
              />
            </div>
          ))}
        </div>
        <Input
          label={labels.minutes}
          hintText={withMinutes ? "Le compte rendu de la réunion." : "Facultatif."}
          textArea
          {...errors.state("minutes")}
          nativeTextAreaProps={{
            ...errors.native("minutes"),
            value: minutes,
            rows: withMinutes ? 6 : 3,
            onChange: (e) => setMinutes(e.target.value),
          }}
        />
        {withMinutes && (
          <Input
            label={labels.decisions}
            textArea
            {...errors.state("decisions")}
            nativeTextAreaProps={{
              ...errors.native("decisions"),
              value: decisions,
              rows: 4,
              onChange: (e) => setDecisions(e.target.value),
            }}
          />
        )}
        <Button type="submit" disabled={save.isPending}>
          Enregistrer le bilan
        </Button>
      </form>
    </section>
  );
}
