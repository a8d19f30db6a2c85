import { Input } from "@codegouvfr/react-dsfr/Input";
import { useId } from "react";
import { plannedDayBounds } from "../../../common/dates";
import { useSession } from "../../api/session";
import { closedDayWarning } from "../../components/closedDay";
import { DATE_HINT } from "../../components/dates";
import type { FormErrors } from "../../components/form/useFormErrors";

type Field = "day" | "startTime" | "endTime";

/**
 * A meeting's day and its start and end times (Paris time), on one row from the md breakpoint. A day
 * that is a public holiday or a weekend day is said under the date, as a warning: it is still taken.
 */
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
  const { departement } = useSession();
  const warningId = useId();
  const warning = closedDayWarning(value.day, departement);
  const field = (key: Field, type: "date" | "time") => (
    <Input
      label={labels[key]}
      hintText={type === "time" ? "Heure de Paris" : DATE_HINT}
      {...errors.state(key)}
      nativeInputProps={{
        ...errors.native(key),
        type,
        ...(type === "date" ? plannedDayBounds() : {}),
        value: value[key],
        onChange: (e) => onChange(key, e.target.value),
        ...(key === "day" && warning ? { "aria-describedby": warningId } : {}),
      }}
    />
  );
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-md-4">
        {field("day", "date")}
        <div className="fr-messages-group" aria-live="polite">
          {warning && (
            <p id={warningId} className="fr-message fr-message--warning fr-mt-n2w fr-mb-3w">
              {warning}
            </p>
          )}
        </div>
      </div>
      <div className="fr-col-6 fr-col-md-4">{field("startTime", "time")}</div>
      <div className="fr-col-6 fr-col-md-4">{field("endTime", "time")}</div>
    </div>
  );
}
