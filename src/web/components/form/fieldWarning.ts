import type { FieldState } from "./useFormErrors";

/** A DSFR field's state, with the "info" a warning that does not block the form gives. */
export interface WarnedFieldState {
  state: FieldState["state"] | "info";
  stateRelatedMessage: string | undefined;
}

/**
 * A field's error, else its warning (a value to check, that may still be saved: an unlikely birth
 * date), else nothing: an error under a field always wins over a warning.
 */
export function withWarning(field: FieldState, warning: string | null): WarnedFieldState {
  if (field.state === "error" || warning === null) return field;
  return { state: "info", stateRelatedMessage: warning };
}
