import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ReactNode } from "react";
import type { FormErrors } from "../../components/form/useFormErrors";

type Field = "hostEntryId" | "cofunderEntryIds";

/**
 * The local partners of an action (ADR 0039): the organisation lending its premises (a mairie for a
 * stage de citoyenneté) and the cofunders, chosen in the structure's directory.
 */
export function LocalPartnersFields({
  errors,
  labels,
  entries,
  hostEntryId,
  cofunderEntryIds,
  onHost,
  onCofunders,
}: {
  errors: FormErrors<Field>;
  labels: Record<Field, string>;
  entries: { id: string; name: string }[];
  hostEntryId: string;
  cofunderEntryIds: string[];
  onHost: (id: string) => void;
  onCofunders: (ids: string[]) => void;
}): ReactNode {
  return (
    <>
      <Select
        label={labels.hostEntryId}
        hint="Facultatif : l'organisation de l'annuaire qui prête ses locaux (une mairie, un CCAS…)."
        {...errors.state("hostEntryId")}
        nativeSelectProps={{
          ...errors.native("hostEntryId"),
          value: hostEntryId,
          onChange: (e) => onHost(e.target.value),
        }}
      >
        <option value="">Aucune</option>
        {entries.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </Select>
      {entries.length > 0 && (
        <Checkbox
          legend={labels.cofunderEntryIds}
          hintText="Facultatif : les organisations qui cofinancent l'action. Les montants sont saisis par la direction avec les financements (page Conventions)."
          id={errors.native("cofunderEntryIds").id}
          small
          orientation="horizontal"
          {...errors.state("cofunderEntryIds")}
          options={entries.map((e) => ({
            label: e.name,
            nativeInputProps: {
              checked: cofunderEntryIds.includes(e.id),
              onChange: (event) =>
                onCofunders(
                  event.target.checked
                    ? [...cofunderEntryIds, e.id]
                    : cofunderEntryIds.filter((id) => id !== e.id),
                ),
            },
          }))}
        />
      )}
    </>
  );
}
