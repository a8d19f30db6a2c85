import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { z } from "zod";
import {
  checkWithSchema,
  type FormProblems,
  noProblems,
  problemsFromApi,
  withoutFields,
} from "./fieldErrors";

/** Props spread on a DSFR Input/Select/Checkbox: the error state and its message under the field. */
export interface FieldState {
  state: "error" | "default";
  stateRelatedMessage: string | undefined;
}

/** Props spread on the native input/select/textarea: its id (the summary links to it) and aria-invalid. */
export interface NativeFieldProps {
  id: string;
  "aria-invalid": true | undefined;
}

export interface FormErrors<K extends string> {
  /** DSFR state of a field. */
  state(key: K): FieldState;
  /**
   * Native props of a field: spread them in nativeInputProps / nativeSelectProps. For a DSFR
   * Checkbox or RadioButtons group, pass only its `id` to the group (`id={errors.native(k).id}`).
   */
  native(key: K): NativeFieldProps;
  /** The message of a field, if any (for fieldsets and custom widgets). */
  message(key: K): string | undefined;
  /**
   * Checks `value` with `schema` (the server's): the parsed value when valid (send it: it is parsed
   * once), undefined when not, the problems shown. Only object schemas, so the result reads as a
   * condition (`if (errors.check(…))`).
   */
  check<S extends z.ZodType<object>>(schema: S, value: unknown): z.output<S> | undefined;
  /** Shows a failed API call's problems. */
  showApiError(error: unknown): void;
  clear(): void;
  hasErrors: boolean;
  /** The error summary: put it at the top of the form. */
  summary: ReactNode;
}

/** A date field holding a day the calendar does not have (31/02): the browser gives it as empty. */
export const IMPOSSIBLE_DATE =
  "Date invalide : ce jour n'existe pas (par exemple le 31/02). Vérifiez le jour et le mois.";

/**
 * The date fields whose typed day does not exist: the browser hands the form an empty value (the
 * schema would say "Saisissez…" as if nothing were typed), so their own message replaces it.
 */
function withImpossibleDates(
  found: FormProblems,
  keys: readonly string[],
  idOf: (key: string) => string,
): FormProblems {
  const bad = keys.filter((key) => {
    const element = document.getElementById(idOf(key));
    return (
      element instanceof HTMLInputElement && element.type.startsWith("date") && element.validity.badInput
    );
  });
  if (bad.length === 0) return found;
  return {
    ...found,
    fields: { ...found.fields, ...Object.fromEntries(bad.map((key) => [key, IMPOSSIBLE_DATE])) },
  };
}

/**
 * The element to focus for a field's id: the field itself, or the first field of a group (a DSFR
 * checkbox or radio fieldset carries the id, its inputs `${id}-0`, `${id}-1`… keep their labels).
 */
function focusable(element: HTMLElement | null): HTMLElement | null {
  if (!element || element.matches("input, select, textarea")) return element;
  return element.querySelector<HTMLElement>("input:not([disabled]), select, textarea") ?? element;
}

/**
 * Field-level errors for a form (RGAA): messages under each field from the client's check and the
 * server's 400, a summary at the top with a link to each field, the focus on the first error.
 * `labels` lists the fields in their order on the page; their keys are body paths ("measure.endDate").
 */
export function useFormErrors<K extends string>(
  idPrefix: string,
  labels: Readonly<Record<K, string>>,
  codeFields: Readonly<Record<string, NoInfer<K>>> = {},
  /** The summary's title when no field is in error ("Connexion impossible"). */
  failureTitle = "L'enregistrement n'a pas abouti",
): FormErrors<K> {
  const [problems, setProblems] = useState<FormProblems>(noProblems);
  // The summary keeps the problems as found at the last check until the next one: fields fixed
  // since lose their message under the field, but the box at the top neither shrinks nor vanishes
  // under the user's cursor while they type, nor is it announced again (role="alert").
  const [listed, setListed] = useState<FormProblems>(noProblems);
  const [shown, setShown] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  // The labels may be built at each render (rows of a list): the keys change only with their names.
  const keyList = Object.keys(labels).join("\n");
  const keys = useMemo(() => (keyList === "" ? [] : (keyList.split("\n") as K[])), [keyList]);
  const idOf = useCallback((key: string) => `${idPrefix}-${key.replace(/\./g, "-")}`, [idPrefix]);
  const latest = useRef({ keys, problems });
  latest.current = { keys, problems };

  // Focus once per shown set of problems (not at every render): the first field in error, else the summary.
  useEffect(() => {
    if (shown === 0) return;
    const { keys: current, problems: found } = latest.current;
    const first = current.find((key) => found.fields[key] !== undefined);
    const target = (first && focusable(document.getElementById(idOf(first)))) || summaryRef.current;
    target?.focus();
  }, [shown, idOf]);

  // A field changed after a failed check no longer says its old problem under it (the summary waits
  // for the next check, above): its
  // message goes as soon as it is edited or chosen, the next submit checks it again. A field is the
  // element carrying its id or anything inside (a radio or checkbox group's inputs).
  // Listened to as the event bubbles up to the document, after React's own handlers (at the app's
  // root): in the capture phase, the state set here rendered the form before the field's onChange
  // ran, so a controlled field was given back its old value and the typed text was lost.
  const inError = Object.keys(problems.fields).join("\n");
  useEffect(() => {
    if (inError === "") return;
    const fields = inError.split("\n");
    const onEdit = (event: Event): void => {
      const target = event.target;
      if (!(target instanceof Node)) return;
      const edited = fields.filter((key) => document.getElementById(idOf(key))?.contains(target));
      if (edited.length > 0) setProblems((current) => withoutFields(current, edited));
    };
    document.addEventListener("input", onEdit);
    document.addEventListener("change", onEdit);
    return () => {
      document.removeEventListener("input", onEdit);
      document.removeEventListener("change", onEdit);
    };
  }, [inError, idOf]);

  const show = (found: FormProblems): void => {
    setProblems(found);
    setListed(found);
    if (Object.keys(found.fields).length > 0 || found.general.length > 0) setShown((n) => n + 1);
  };
  const fieldCount = Object.keys(listed.fields).length;
  const summary =
    fieldCount + listed.general.length === 0 ? null : (
      <div
        ref={summaryRef}
        tabIndex={-1}
        role="alert"
        className="fr-alert fr-alert--error fr-mb-3w"
        id={`${idPrefix}-summary`}
      >
        <h2 className="fr-alert__title">
          {fieldCount > 0
            ? `Le formulaire contient ${fieldCount === 1 ? "une erreur" : `${fieldCount} erreurs`}`
            : failureTitle}
        </h2>
        <ul className="form-error-summary">
          {keys
            .filter((key) => listed.fields[key] !== undefined)
            .map((key) => (
              <li key={key}>
                <a
                  href={`#${idOf(key)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    focusable(document.getElementById(idOf(key)))?.focus();
                  }}
                >
                  {labels[key]} : {listed.fields[key]}
                </a>
              </li>
            ))}
          {listed.general.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      </div>
    );
  return {
    state: (key) => ({
      state: problems.fields[key] ? "error" : "default",
      stateRelatedMessage: problems.fields[key],
    }),
    native: (key) => ({ id: idOf(key), "aria-invalid": problems.fields[key] ? true : undefined }),
    message: (key) => problems.fields[key],
    check: (schema, value) => {
      const checked = checkWithSchema(schema, value, keys);
      const found = withImpossibleDates(checked.ok ? noProblems : checked.problems, keys, idOf);
      show(found);
      const valid = Object.keys(found.fields).length === 0 && found.general.length === 0;
      return checked.ok && valid ? checked.value : undefined;
    },
    showApiError: (error) => show(problemsFromApi(error, keys, codeFields)),
    clear: () => {
      setProblems(noProblems);
      setListed(noProblems);
    },
    hasErrors: Object.keys(problems.fields).length + problems.general.length > 0,
    summary,
  };
}

/** The errors of a group of fields whose keys share a prefix ("consent."), for a sub-form component. */
export function scopedErrors<S extends string>(
  errors: Pick<FormErrors<string>, "state" | "native" | "message">,
  prefix: string,
): Pick<FormErrors<S>, "state" | "native" | "message"> {
  return {
    state: (key) => errors.state(`${prefix}${key}`),
    native: (key) => errors.native(`${prefix}${key}`),
    message: (key) => errors.message(`${prefix}${key}`),
  };
}
