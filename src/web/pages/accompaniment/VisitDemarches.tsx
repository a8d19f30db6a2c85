import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import {
  type DemarcheChange,
  type DemarcheStatus,
  type DemarcheView,
  demarcheStatuses,
  demarcheStatusLabels,
  finalDemarcheStatuses,
  type HelpLevel,
  helpLevelLabels,
  helpLevels,
  type NewDemarche,
} from "../../../common/accompaniment/accompaniment.schema";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import type { FieldState, NativeFieldProps } from "../../components/form/useFormErrors";

/** Error state and native props of one field of a row, from the form's errors (none when it has none). */
export interface RowErrors {
  state(key: string): FieldState;
  native(key: string): Partial<NativeFieldProps>;
}
const noRowErrors: RowErrors = {
  state: () => ({ state: "default", stateRelatedMessage: undefined }),
  native: () => ({}),
};

export function StatusSelect({
  label,
  value,
  onChange,
  exclude = [],
  errors = noRowErrors,
  errorKey = "status",
}: {
  label: string;
  value: DemarcheStatus;
  onChange: (status: DemarcheStatus) => void;
  exclude?: readonly DemarcheStatus[];
  errors?: RowErrors;
  errorKey?: string;
}): ReactNode {
  return (
    <Select
      label={label}
      {...errors.state(errorKey)}
      nativeSelectProps={{
        ...errors.native(errorKey),
        value,
        onChange: (e) => onChange(e.target.value as DemarcheStatus),
      }}
    >
      {demarcheStatuses
        .filter((s) => !exclude.includes(s))
        .map((s) => (
          <option key={s} value={s}>
            {demarcheStatusLabels[s]}
          </option>
        ))}
    </Select>
  );
}

function MinutesInput({
  value,
  onChange,
  errors,
  errorKey,
}: {
  value: number;
  onChange: (minutes: number) => void;
  errors: RowErrors;
  errorKey: string;
}): ReactNode {
  return (
    <Input
      label="Temps passé (min)"
      {...errors.state(errorKey)}
      nativeInputProps={{
        ...errors.native(errorKey),
        type: "number",
        min: 0,
        max: 600,
        inputMode: "numeric",
        value,
        onChange: (e) => onChange(Number(e.target.value)),
      }}
    />
  );
}

/** The person's démarches still open: tick those worked on today and say where they stand. */
export function OpenDemarchesForm({
  demarches,
  value,
  onChange,
  errors = noRowErrors,
  keyOf = (_id, field) => field,
}: {
  demarches: DemarcheView[];
  value: Record<string, DemarcheChange>;
  onChange: (value: Record<string, DemarcheChange>) => void;
  errors?: RowErrors;
  /** The form's error key of a field of a démarche's change. */
  keyOf?: (demarcheId: string, field: string) => string;
}): ReactNode {
  const open = demarches.filter((d) => !finalDemarcheStatuses.includes(d.status));
  if (open.length === 0) return null;
  const set = (d: DemarcheView, patch: Partial<DemarcheChange> | null) => {
    const next = { ...value };
    if (patch === null) delete next[d.id];
    else
      next[d.id] = {
        status: d.status,
        outcome: d.outcome,
        nextStep: d.nextStep,
        dueDate: d.dueDate,
        timeSpentMinutes: 0,
        documents: d.documents,
        ...value[d.id],
        ...patch,
      };
    onChange(next);
  };
  return (
    <>
      <h2>Démarches en cours</h2>
      {open.map((d) => {
        const change = value[d.id];
        return (
          <fieldset key={d.id} className="fr-fieldset fr-mb-2w">
            <legend className="fr-fieldset__legend fr-text--md">
              {d.label} ({d.partnerName ?? "partenaire local"}) — {demarcheStatusLabels[d.status]}
            </legend>
            <Checkbox
              small
              className="fr-fieldset__element"
              options={[
                {
                  label: "Travaillée lors de cette visite",
                  nativeInputProps: {
                    checked: Boolean(change),
                    onChange: (e) => set(d, e.target.checked ? {} : null),
                  },
                },
              ]}
            />
            {change && (
              <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
                <div className="fr-col-12 fr-col-md-4">
                  <StatusSelect
                    label="Statut"
                    value={change.status}
                    onChange={(status) => set(d, { status })}
                    errors={errors}
                    errorKey={keyOf(d.id, "status")}
                  />
                </div>
                <div className="fr-col-12 fr-col-md-5">
                  <Input
                    label="Résultat ou prochaine étape"
                    {...errors.state(keyOf(d.id, "nextStep"))}
                    nativeInputProps={{
                      ...errors.native(keyOf(d.id, "nextStep")),
                      value: change.nextStep,
                      maxLength: 300,
                      onChange: (e) => set(d, { nextStep: e.target.value }),
                    }}
                  />
                </div>
                <div className="fr-col-12 fr-col-md-3">
                  <MinutesInput
                    value={change.timeSpentMinutes}
                    onChange={(m) => set(d, { timeSpentMinutes: m })}
                    errors={errors}
                    errorKey={keyOf(d.id, "timeSpentMinutes")}
                  />
                </div>
                {d.documents.length > 0 && (
                  <div className="fr-col-12">
                    <Checkbox
                      small
                      legend="Pièces fournies"
                      orientation="horizontal"
                      options={(change.documents ?? d.documents).map((doc, i, all) => ({
                        label: doc.label,
                        nativeInputProps: {
                          checked: doc.provided,
                          onChange: (e) =>
                            set(d, {
                              documents: all.map((x, j) =>
                                j === i ? { ...x, provided: e.target.checked } : x,
                              ),
                            }),
                        },
                      }))}
                    />
                  </div>
                )}
              </div>
            )}
          </fieldset>
        );
      })}
    </>
  );
}

export const emptyDemarche = (): NewDemarche => ({
  demarcheTypeId: "",
  helpLevel: "guided",
  status: "in_progress",
  outcome: "",
  nextStep: "",
  dueDate: null,
  timeSpentMinutes: 0,
});

/** Démarches started today, chosen in the partners' catalogue (`single`: exactly one, no list controls). */
export function NewDemarchesForm({
  value,
  onChange,
  single = false,
  errors = noRowErrors,
  keyOf = (_i, field) => field,
}: {
  value: NewDemarche[];
  onChange: (value: NewDemarche[]) => void;
  single?: boolean;
  errors?: RowErrors;
  /** The form's error key of a field of the i-th new démarche. */
  keyOf?: (index: number, field: string) => string;
}): ReactNode {
  const catalogue = useQuery({ queryKey: ["catalogue"], queryFn: () => call(structuresRoutes.catalogue) });
  const set = (i: number, patch: Partial<NewDemarche>) =>
    onChange(value.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <>
      {!single && <h2>Nouvelles démarches</h2>}
      {value.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of a form being filled
        <fieldset key={i} className="fr-fieldset fr-mb-2w">
          <legend className={single ? "fr-sr-only" : "fr-fieldset__legend fr-text--md"}>
            Nouvelle démarche {single ? "" : i + 1}
          </legend>
          <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-6">
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
            <div className="fr-col-12 fr-col-md-3">
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
            <div className="fr-col-12 fr-col-md-3">
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
                  value: d.dueDate ?? "",
                  onChange: (e) => set(i, { dueDate: e.target.value || null }),
                }}
              />
            </div>
          </div>
          {!single && (
            <Button
              type="button"
              priority="tertiary"
              size="small"
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              Retirer cette démarche
            </Button>
          )}
        </fieldset>
      ))}
      {!single && (
        <Button
          type="button"
          priority="secondary"
          className="fr-mb-3w"
          onClick={() => onChange([...value, emptyDemarche()])}
        >
          Ajouter une démarche
        </Button>
      )}
    </>
  );
}
