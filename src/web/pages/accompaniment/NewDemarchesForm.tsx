import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useRef } from "react";
import {
  type DemarcheView,
  type HelpLevel,
  helpLevelLabels,
  helpLevels,
  type NewDemarche,
} from "../../../common/accompaniment/accompaniment.schema";
import { dueDayBounds } from "../../../common/dates";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { CATALOGUE_UNAVAILABLE, ErrorAlert } from "../../components/ErrorAlert";
import { withLengthHint } from "../../components/wording";
import { repeatedInVisit } from "./openDemarche";
import { MinutesInput, noRowErrors, type RowErrors, StatusSelect } from "./VisitDemarches";

export const emptyDemarche = (): NewDemarche => ({
  demarcheTypeId: "",
  helpLevel: "guided",
  status: "in_progress",
  outcome: "",
  nextStep: "",
  dueDate: null,
  timeSpentMinutes: 0,
});

/**
 * Démarches started today, chosen in the partners' catalogue (`single`: exactly one, no list controls).
 * `open`: the person's démarches, given by the visit form, so a row that would record one twice
 * (a type already open on the file, or already on an earlier row) says so under it.
 */
export function NewDemarchesForm({
  value,
  onChange,
  single = false,
  errors = noRowErrors,
  keyOf = (_i, field) => field,
  open,
}: {
  value: NewDemarche[];
  onChange: (value: NewDemarche[]) => void;
  single?: boolean;
  errors?: RowErrors;
  /** The form's error key of a field of the i-th new démarche. */
  keyOf?: (index: number, field: string) => string;
  open?: readonly DemarcheView[];
}): ReactNode {
  const catalogue = useQuery({ queryKey: ["catalogue"], queryFn: () => call(structuresRoutes.catalogue) });
  const set = (i: number, patch: Partial<NewDemarche>) =>
    onChange(value.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  // Keyboard users stay in the list: a row added gets the focus on its first field; a row removed
  // hands it to the row that took its place (or the one before), or to "Ajouter une démarche".
  const base = useId();
  const addButton = useRef<HTMLButtonElement>(null);
  const focusAfter = useRef<number | null>(null);
  useEffect(() => {
    const row = focusAfter.current;
    if (row === null) return;
    focusAfter.current = null;
    const target =
      value.length === 0
        ? addButton.current
        : document.getElementById(`${base}-${Math.min(row, value.length - 1)}`)?.querySelector("select");
    target?.focus();
  }, [value.length, base]);
  return (
    <>
      {!single && <h2>Nouvelles démarches</h2>}
      {/* Without it the démarche select is empty: said, with « Réessayer » (fault review, 2026-12-06). */}
      <ErrorAlert error={catalogue.error} title={CATALOGUE_UNAVAILABLE} />
      {value.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of a form being filled
        <fieldset key={i} id={`${base}-${i}`} className="fr-fieldset fr-mb-2w">
          <legend className={single ? "fr-sr-only" : "fr-fieldset__legend fr-text--md"}>
            Nouvelle démarche {single ? "" : i + 1}
          </legend>
          <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-lg-5">
              <Select
                label="Démarche"
                {...errors.state(keyOf(i, "demarcheTypeId"))}
                nativeSelectProps={{
                  ...errors.native(keyOf(i, "demarcheTypeId")),
                  value: d.demarcheTypeId,
                  onChange: (e) => set(i, { demarcheTypeId: e.target.value }),
                }}
              >
                <option value="">Choisir dans le catalogue</option>
                {(catalogue.data?.partners ?? [])
                  .filter((p) => p.demarcheTypes.length > 0)
                  .map((p) => (
                    <optgroup key={p.id} label={p.name}>
                      {p.demarcheTypes.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.label}
                        </option>
                      ))}
                    </optgroup>
                  ))}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-6 fr-col-lg-4">
              <Select
                label="Niveau d'aide"
                {...errors.state(keyOf(i, "helpLevel"))}
                nativeSelectProps={{
                  ...errors.native(keyOf(i, "helpLevel")),
                  value: d.helpLevel,
                  onChange: (e) => set(i, { helpLevel: e.target.value as HelpLevel }),
                }}
              >
                {helpLevels.map((h) => (
                  <option key={h} value={h}>
                    {helpLevelLabels[h]}
                  </option>
                ))}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-6 fr-col-lg-3">
              <StatusSelect
                label="Statut"
                value={d.status}
                onChange={(status) => set(i, { status })}
                exclude={["reoriented"]}
                errors={errors}
                errorKey={keyOf(i, "status")}
              />
            </div>
            <div className="fr-col-12 fr-col-md-3">
              <MinutesInput
                value={d.timeSpentMinutes}
                onChange={(m) => set(i, { timeSpentMinutes: m })}
                errors={errors}
                errorKey={keyOf(i, "timeSpentMinutes")}
              />
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Input
                label="Prochaine étape"
                hintText={withLengthHint(undefined, d.nextStep.length, 300)}
                {...errors.state(keyOf(i, "nextStep"))}
                nativeInputProps={{
                  ...errors.native(keyOf(i, "nextStep")),
                  maxLength: 300,
                  value: d.nextStep,
                  onChange: (e) => set(i, { nextStep: e.target.value }),
                }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-3">
              <Input
                label="À faire avant le (facultatif)"
                {...errors.state(keyOf(i, "dueDate"))}
                nativeInputProps={{
                  ...errors.native(keyOf(i, "dueDate")),
                  type: "date",
                  ...dueDayBounds(),
                  value: d.dueDate ?? "",
                  onChange: (e) => set(i, { dueDate: e.target.value || null }),
                }}
              />
            </div>
          </div>
          {open && <RepeatedWarning text={repeatedInVisit(value, i, open)} />}
          {!single && (
            <div className="fr-fieldset__element">
              <Button
                type="button"
                priority="tertiary"
                size="small"
                onClick={() => {
                  focusAfter.current = i;
                  onChange(value.filter((_, j) => j !== i));
                }}
              >
                Retirer la nouvelle démarche {i + 1}
              </Button>
            </div>
          )}
        </fieldset>
      ))}
      {!single && (
        <Button
          type="button"
          priority="secondary"
          className="fr-mb-3w"
          ref={addButton}
          onClick={() => {
            focusAfter.current = value.length;
            onChange([...value, emptyDemarche()]);
          }}
        >
          Ajouter une démarche
        </Button>
      )}
    </>
  );
}

function RepeatedWarning({ text }: { text: string | null }): ReactNode {
  if (!text) return null;
  return (
    <div className="fr-fieldset__element">
      <Alert severity="warning" small description={text} />
    </div>
  );
}
