import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { peopleRoutes } from "../../../common/people/people.routes";
import { mergeBodySchema } from "../../../common/people/people.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatDate } from "../../components/dates";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useSettled } from "../../components/useSettled";
import { useStepFocus } from "../../components/useStepFocus";

/** The direction folds a duplicate record into this one, after a confirmation. */
const mergeLabels = { duplicateId: "Doublon" } as const;

export function MergePanel({ personId, name }: { personId: string; name: string }): ReactNode {
  const queryClient = useQueryClient();
  const [typed, setSearch] = useState("");
  const search = useSettled(typed);
  const [duplicateId, setDuplicateId] = useState("");
  const [confirming, setConfirming] = useState(false);
  // The question replaces "Fusionner", the focus on its button; Échap brings "Fusionner" back, focused.
  const step = useStepFocus(confirming, confirming ? () => setConfirming(false) : undefined);
  /** Another duplicate chosen, or the server's refusal shown: the question goes, the focus stays. */
  const leave = () => {
    if (!confirming) return;
    step.quiet();
    setConfirming(false);
  };
  const candidates = useQuery({
    queryKey: ["people", "search", search],
    // A duplicate may be a closed file: search them all.
    queryFn: () => call(peopleRoutes.list, { query: { search, fileState: "all" } }),
    enabled: search.trim().length >= 2,
  });
  const errors = useFormErrors("merge", mergeLabels, {}, "Fusion impossible");
  const merge = useMutation({
    mutationFn: () => call(peopleRoutes.merge, { params: { personId }, body: { duplicateId } }),
    onSuccess: async () => {
      setConfirming(false);
      setDuplicateId("");
      await queryClient.invalidateQueries();
    },
    onError: (error) => {
      leave();
      errors.showApiError(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(mergeBodySchema, { duplicateId })) return;
    if (confirming) merge.mutate();
    else setConfirming(true);
  };
  const others = (candidates.data?.people ?? []).filter((p) => p.id !== personId);
  const chosen = others.find((p) => p.id === duplicateId);
  return (
    <Accordion label="Fusionner un doublon dans ce dossier" className="fr-mb-3w">
      <form onSubmit={submit} aria-label="Fusionner un doublon" noValidate>
        {errors.summary}
        <Input
          label="Rechercher le doublon (nom ou prénom)"
          hintText="2 lettres au moins."
          nativeInputProps={{ value: typed, onChange: (e) => setSearch(e.target.value) }}
        />
        {others.length > 0 && (
          <Select
            label="Doublon"
            {...errors.state("duplicateId")}
            nativeSelectProps={{
              ...errors.native("duplicateId"),
              value: duplicateId,
              onChange: (e) => {
                leave();
                setDuplicateId(e.target.value);
              },
            }}
          >
            <option value="">Choisir</option>
            {others.map((p) => (
              <option key={p.id} value={p.id}>
                {p.lastName.toUpperCase()} {p.firstName}, né·e le {formatDate(p.birthDate)}
              </option>
            ))}
          </Select>
        )}
        {merge.isSuccess && <p className="fr-text--sm">Doublon fusionné.</p>}
        {search.trim().length >= 2 && candidates.data && others.length === 0 && (
          <p className="fr-text--sm">Aucune autre personne ne correspond à cette recherche.</p>
        )}
        <div ref={step.box}>
          {!confirming && (
            <Button type="submit" priority="secondary" disabled={others.length === 0}>
              Fusionner
            </Button>
          )}
          {chosen && confirming && (
            <div role="alert">
              <p className="fr-text--sm">
                Tout ce qui concerne {chosen.lastName.toUpperCase()} {chosen.firstName} (convocations,
                démarches, notes…) sera rattaché à {name}, et ce doublon disparaîtra des listes. Cette
                opération est journalisée.
              </p>
              <Button type="submit" disabled={merge.isPending}>
                Confirmer la fusion
              </Button>
            </div>
          )}
        </div>
      </form>
    </Accordion>
  );
}
