import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { ofName } from "../../../common/placeName";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { type StructureUser, trainingBodySchema } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useStepFocus } from "../../components/useStepFocus";

const trainingLabels = {
  trainedOn: "Date de la formation initiale France services",
  organisation: "Organisme de formation (facultatif)",
} as const;

/**
 * The agent's "Formation initiale France services" in this structure (ADR 0038): recorded or
 * corrected, or removed when recorded by mistake. A reminder, not a refusal: an untrained agent may
 * still join a permanence's pool, and the direction's home lists them.
 */
export function TrainingForm({
  structureId,
  user,
  onClose,
}: {
  structureId: string;
  user: StructureUser;
  onClose: () => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const [trainedOn, setTrainedOn] = useState(user.training?.trainedOn ?? "");
  const [organisation, setOrganisation] = useState(user.training?.organisation ?? "");
  const [removing, setRemoving] = useState(false);
  // The question replaces the buttons, and "Annuler" or Échap bring them back, the focus on
  // "Retirer la formation" (useStepFocus; in the agent's row, a second Échap closes the form).
  const step = useStepFocus(removing, removing ? () => setRemoving(false) : undefined);
  const errors = useFormErrors(`training-${user.id}`, trainingLabels);
  const params = { structureId, userId: user.id };
  const done = async () => {
    onClose();
    await queryClient.invalidateQueries({ queryKey: ["structure", structureId] });
    await queryClient.invalidateQueries({ queryKey: ["openings", structureId] });
  };
  const save = useMutation({
    mutationFn: () => call(structuresRoutes.recordTraining, { params, body: { trainedOn, organisation } }),
    onError: errors.showApiError,
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => call(structuresRoutes.removeTraining, { params }),
    onSuccess: done,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(trainingBodySchema, { trainedOn, organisation })) save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label={`Formation France services ${ofName(user.displayName)}`} noValidate>
      {errors.summary}
      <Input
        label={trainingLabels.trainedOn}
        hintText="Le jour où l'agent a suivi la formation, au plus tard aujourd'hui."
        {...errors.state("trainedOn")}
        nativeInputProps={{
          ...errors.native("trainedOn"),
          type: "date",
          max: parisDayOf(),
          value: trainedOn,
          onChange: (e) => setTrainedOn(e.target.value),
        }}
      />
      <Input
        label={trainingLabels.organisation}
        hintText="Par exemple : ANCT, CNFPT, l'association."
        {...errors.state("organisation")}
        nativeInputProps={{
          ...errors.native("organisation"),
          value: organisation,
          onChange: (e) => setOrganisation(e.target.value),
        }}
      />
      <div ref={step.box}>
        {removing ? (
          <div role="alert">
            <p className="fr-text--sm fr-mb-1w">
              {`Retirer la formation enregistrée pour ${user.displayName} ? L'agent garde ses permanences ; s'il est dans le pool de l'une d'elles, l'accueil de la direction le signalera parmi les conseillers non formés.`}
            </p>
            <ErrorAlert error={remove.error} />
            <Button
              size="small"
              type="button"
              disabled={remove.isPending}
              className="fr-mr-1w fr-mb-1w"
              onClick={() => remove.mutate()}
            >
              Confirmer le retrait
            </Button>
            <Button size="small" priority="tertiary" type="button" onClick={() => setRemoving(false)}>
              Annuler
            </Button>
          </div>
        ) : (
          <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--inline-lg">
            <li>
              <Button size="small" type="submit" disabled={save.isPending}>
                Enregistrer la formation
              </Button>
            </li>
            {user.training && (
              <li>
                <Button
                  size="small"
                  priority="secondary"
                  type="button"
                  onClick={step.opens(() => setRemoving(true))}
                >
                  Retirer la formation
                </Button>
              </li>
            )}
            <li>
              <Button size="small" priority="tertiary" type="button" onClick={onClose}>
                Annuler
              </Button>
            </li>
          </ul>
        )}
      </div>
    </form>
  );
}
