import { Input } from "@codegouvfr/react-dsfr/Input";
import { plannedDayBounds } from "../../../common/dates";
import type { FormErrors } from "../../components/form/useFormErrors";

type Field = "day" | "startTime" | "endTime";

/** A meeting's day and its start and end times (Paris time), on one row from the md breakpoint. */
export function DayAndTimesFields({
  errors,
  labels,
  value,
  onChange,
}: {
  errors: FormErrors<Field>;
  labels: Record<Field, string>;
  value: Record<Field, string>;
  onChange: (field: Field, value: string) => void;
}) {
  const field = (key: Field, type: "date" | "time") => (
    <Input
      label={labels[key]}
      hintText={type === "time" ? "Heure de Paris" : undefined}
      {...errors.state(key)}
      nativeInputProps={{
        ...errors.native(key),
        type,
        ...(type === "date" ? plannedDayBounds() : {}),
        value: value[key],
        onChange: (e) => onChange(key, e.target.value),
      }}
    />
  );
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-md-4">{field("day", "date")}</div>
      <div className="fr-col-6 fr-col-md-4">{field("startTime", "time")}</div>
      <div className="fr-col-6 fr-col-md-4">{field("endTime", "time")}</div>
    </div>
  );
}
