import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ReactNode } from "react";

/** A list filter: "Tous" (empty value) or one of `values`, shown with their French labels. */
export function FilterSelect<V extends string>({
  label,
  value,
  values,
  labels,
  onChange,
}: {
  label: string;
  value: V | "";
  values: readonly V[];
  labels: Record<V, string>;
  onChange: (value: V | "") => void;
}): ReactNode {
  return (
    <Select label={label} nativeSelectProps={{ value, onChange: (e) => onChange(e.target.value as V | "") }}>
      <option value="">Tous</option>
      {values.map((v) => (
        <option key={v} value={v}>
          {labels[v]}
        </option>
      ))}
    </Select>
  );
}
