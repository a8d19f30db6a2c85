import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ReactNode } from "react";
import {
  type DemarcheChange,
  type DemarcheStatus,
  type DemarcheView,
  demarcheStatuses,
  demarcheStatusLabels,
  finalDemarcheStatuses,
  statusChoices,
} from "../../../common/accompaniment/accompaniment.schema";
import type { FieldState, NativeFieldProps } from "../../components/form/useFormErrors";
import { withLengthHint } from "../../components/wording";

/** Error state and native props of one field of a row, from the form's errors (none when it has none). */
export interface RowErrors {
  state(key: string): FieldState;
  native(key: string): Partial<NativeFieldProps>;
}
export const noRowErrors: RowErrors = {
  state: () => ({ state: "default", stateRelatedMessage: undefined }),
  native: () => ({}),
};

/**
 * Said under the status when the one chosen closes the démarche for good (outside review: one pick
 * closed it with no word); a reorientation is better made as an orientation, which says where to.
 */
export function closingHint(from: DemarcheStatus, to: DemarcheStatus): string | undefined {
  if (to === from || !finalDemarcheStatuses.includes(to)) return undefined;
  return to === "reoriented"
    ? "Statut définitif : la démarche sera close. Pour adresser la personne à un partenaire ou à la médiation, faites plutôt une orientation depuis le dossier."
    : "Statut définitif : la démarche sera close et ne pourra plus être modifiée.";
}

export function StatusSelect({
  label,
  value,
  onChange,
  from,
  exclude = [],
  errors = noRowErrors,
  errorKey = "status",
  hintText,
}: {
  label: string;
  value: DemarcheStatus;
  onChange: (status: DemarcheStatus) => void;
  /** A recorded démarche's status: only it and where it may go are offered (the server's rule). */
  from?: DemarcheStatus;
  exclude?: readonly DemarcheStatus[];
  hintText?: string | undefined;
  errors?: RowErrors;
  errorKey?: string;
}): ReactNode {
  return (
    <Select
      label={label}
      hint={hintText}
      {...errors.state(errorKey)}
      nativeSelectProps={{
        ...errors.native(errorKey),
        value,
        onChange: (e) => onChange(e.target.value as DemarcheStatus),
      }}
    >
      {(from ? statusChoices(from) : demarcheStatuses)
        .filter((s) => !exclude.includes(s))
        .map((s) => (
          <option key={s} value={s}>
            {demarcheStatusLabels[s]}
          </option>
        ))}
    </Select>
  );
}

export function MinutesInput({
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
              {d.label} · {d.partnerName ?? "partenaire local"} — {demarcheStatusLabels[d.status]}
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
                    from={d.status}
                    hintText={closingHint(d.status, change.status)}
                    value={change.status}
                    onChange={(status) => set(d, { status })}
                    errors={errors}
                    errorKey={keyOf(d.id, "status")}
                  />
                </div>
                <div className="fr-col-12 fr-col-md-5">
                  <Input
                    label="Résultat ou prochaine étape"
                    hintText={withLengthHint(undefined, change.nextStep.length, 300)}
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
