import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ReactNode } from "react";
import type { FieldState, NativeFieldProps } from "../../components/form/useFormErrors";
import { monthNames, yearChoices } from "./months";

/**
 * A calendar month ("YYYY-MM") chosen with two DSFR selects, "Mois" (janvier…décembre) and "Année",
 * grouped under a legend: `<input type="month">` is shown in English by Chromium and as a bare text
 * box by Firefox and Safari on a computer. The group carries the field's id (the error summary's link
 * focuses its first select) and its message, under both selects.
 */
export function MonthField({
  legend,
  value,
  onChange,
  currentYear,
  state,
  native,
}: {
  legend: string;
  value: string;
  onChange: (value: string) => void;
  currentYear: number;
  state: FieldState;
  native: NativeFieldProps;
}): ReactNode {
  const [year = "", month = ""] = value.split("-");
  const invalid = state.state === "error";
  const messageId = `${native.id}-messages`;
  const select = (part: "month" | "year") => ({
    id: `${native.id}-${part}`,
    "aria-invalid": native["aria-invalid"],
    required: true,
  });
  return (
    <fieldset
      id={native.id}
      className={`fr-fieldset month-field${invalid ? " fr-fieldset--error" : ""}`}
      aria-labelledby={`${native.id}-legend${invalid ? ` ${messageId}` : ""}`}
    >
      <legend id={`${native.id}-legend`} className="fr-fieldset__legend fr-fieldset__legend--regular">
        {legend}
      </legend>
      <div className="fr-fieldset__element fr-fieldset__element--inline">
        <Select
          label="Mois"
          nativeSelectProps={{
            ...select("month"),
            value: month,
            onChange: (e) => onChange(`${year}-${e.target.value}`),
          }}
        >
          {monthNames.map((name, i) => {
            const mm = String(i + 1).padStart(2, "0");
            return (
              <option key={mm} value={mm}>
                {name}
              </option>
            );
          })}
        </Select>
      </div>
      <div className="fr-fieldset__element fr-fieldset__element--inline">
        <Select
          label="Année"
          nativeSelectProps={{
            ...select("year"),
            value: year,
            onChange: (e) => onChange(`${e.target.value}-${month}`),
          }}
        >
          {yearChoices(currentYear, value).map((y) => (
            <option key={y} value={String(y)}>
              {y}
            </option>
          ))}
        </Select>
      </div>
      <div className="fr-messages-group" id={messageId} aria-live="polite">
        {invalid && <p className="fr-message fr-message--error">{state.stateRelatedMessage}</p>}
      </div>
    </fieldset>
  );
}
