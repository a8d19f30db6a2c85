import type { z } from "zod";
import { ApiError } from "../../api/client";

/** Messages by field key ("lastName", "measure.endDate"): the path of the body, without "body.". */
export type FieldErrors = Record<string, string>;

/** What a form shows after a failed check: messages under fields, and what belongs to no field. */
export interface FormProblems {
  fields: FieldErrors;
  /** Messages that no field of the form carries (a 409, a 503, an issue about an unknown path). */
  general: string[];
}

export const noProblems: FormProblems = { fields: {}, general: [] };

/** The field key of an issue path: the longest known key it starts with ("consent.domains.0" → "consent.domains"). */
export function fieldKeyOf(path: string, keys: readonly string[]): string | undefined {
  const bare = path.replace(/^(body|query|params)\./, "");
  let best: string | undefined;
  for (const key of keys) {
    const matches = bare === key || bare.startsWith(`${key}.`);
    if (matches && (best === undefined || key.length > best.length)) best = key;
  }
  return best;
}

function collect(
  issues: readonly { path: string; message: string }[],
  keys: readonly string[],
): FormProblems {
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const issue of issues) {
    const key = fieldKeyOf(issue.path, keys);
    if (key === undefined) general.push(issue.message);
    else fields[key] ??= issue.message;
  }
  // A message already said under a field (a slot's site and start: "Choisissez un créneau.") is said once.
  const said = new Set(Object.values(fields));
  return { fields, general: [...new Set(general)].filter((message) => !said.has(message)) };
}

/** A form's value checked with the server's schema: the parsed value (typed, trimmed…), or the problems. */
export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; problems: FormProblems };

/** Client-side check with the same schema as the server, parsed once: its output, or the problems found. */
export function checkWithSchema<S extends z.ZodType>(
  schema: S,
  value: unknown,
  keys: readonly string[],
): SchemaCheck<z.output<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: collect(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
      })),
      keys,
    ),
  };
}

/**
 * The problems of a failed API call: a 400's issues under their fields, an error code the form
 * ties to a field (`codeFields`) under that field, anything else as a general message.
 */
export function problemsFromApi(
  error: unknown,
  keys: readonly string[],
  codeFields: Readonly<Record<string, string>> = {},
): FormProblems {
  if (!(error instanceof ApiError))
    return { fields: {}, general: ["Le serveur ne répond pas. Réessayez plus tard."] };
  const codeField = codeFields[error.body.code];
  if (codeField !== undefined) return { fields: { [codeField]: error.message }, general: [] };
  if (error.body.issues && error.body.issues.length > 0) {
    const found = collect(error.body.issues, keys);
    // A refusal of the catalogue pointing at a field (a permanence from a day gone by) also says why,
    // in the summary: the message under the field only says what to choose instead.
    // A refusal whose whole reason is the message under its field is said once.
    if (
      error.body.code === "request.invalid" ||
      found.general.includes(error.message) ||
      Object.values(found.fields).includes(error.message)
    )
      return found;
    return { fields: found.fields, general: [...found.general, error.message] };
  }
  // Only an unexpected error carries its reference for the support; a refusal says its message.
  const reference =
    error.status >= 500 && error.body.requestId ? ` (référence : ${error.body.requestId})` : "";
  return { fields: {}, general: [`${error.message}${reference}`] };
}

/** The problems left once some fields were edited: their messages go, the others and the general ones stay. */
export function withoutFields(problems: FormProblems, keys: readonly string[]): FormProblems {
  if (!keys.some((key) => problems.fields[key] !== undefined)) return problems;
  const fields = Object.fromEntries(Object.entries(problems.fields).filter(([key]) => !keys.includes(key)));
  return { fields, general: problems.general };
}
