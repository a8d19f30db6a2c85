import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";
import { ApiError } from "../api/client";
import { NotFoundPage } from "../pages/errors/ErrorPages";

/** A 400 about the address only (a malformed id in the page's URL): the page does not exist. */
export function isMalformedAddress(error: unknown): boolean {
  const issues = error instanceof ApiError && error.status === 400 ? (error.body.issues ?? []) : [];
  return issues.length > 0 && issues.every((issue) => issue.path.startsWith("params."));
}

/** An unexpected failure (a 500, an unavailable service, no answer): only it carries a reference. */
export function isUnexpected(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status >= 500;
}

/**
 * Shows an API error in French: an expected refusal (4xx) says its catalogue message, with the issues
 * of a 400; an unexpected error says so, with the request id of a 500 or 503 for the support. A
 * malformed id in the page's address shows the "Page non trouvée" page.
 */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }): ReactNode {
  if (!error) return null;
  if (isMalformedAddress(error)) return <NotFoundPage />;
  const apiError = error instanceof ApiError ? error : null;
  const unexpected = isUnexpected(error);
  const description = (
    <>
      {apiError?.message ?? "Le serveur ne répond pas. Réessayez plus tard."}
      {apiError?.body.issues && (
        <ul>
          {apiError.body.issues.map((issue) => (
            <li key={issue.path}>{issue.message}</li>
          ))}
        </ul>
      )}
      {unexpected && apiError?.body.requestId && <> (référence : {apiError.body.requestId})</>}
    </>
  );
  // A refusal without a title of its own says its message alone, not a generic "an error occurred".
  if (!title && !unexpected)
    return <Alert severity="error" small className="fr-mb-3w" description={description} />;
  return (
    <Alert
      severity="error"
      title={title ?? "Une erreur est survenue"}
      className="fr-mb-3w"
      description={description}
    />
  );
}

/**
 * The message to show under a field: the API error when its code is one of `codes`, or the 400
 * issue about `path` (e.g. "body.proof"). Undefined otherwise.
 */
export function fieldError(error: unknown, codes: string[], path?: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (codes.includes(error.body.code)) return error.message;
  return path ? error.body.issues?.find((issue) => issue.path === path)?.message : undefined;
}
