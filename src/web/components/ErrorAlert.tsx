import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiError } from "../api/client";
import { NotFoundPage } from "../pages/errors/ErrorPages";
import { withoutListedIssues } from "./listedIssues";

/** A 400 about the address only (a malformed id in the page's URL): the page does not exist. */
export function isMalformedAddress(error: unknown): boolean {
  const issues = error instanceof ApiError && error.status === 400 ? (error.body.issues ?? []) : [];
  return issues.length > 0 && issues.every((issue) => issue.path.startsWith("params."));
}

/** A file that does not exist or is out of the agent's reach (the server says both the same way). */
export function isPersonNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.body.code === "person.notFound";
}

/** An unexpected failure (a 500, an unavailable service, no answer): only it carries a reference. */
export function isUnexpected(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status >= 500;
}

/**
 * Reads again every read that failed unexpectedly: after an outage (the reads are not retried by themselves),
 * when the window comes back to the front or the network comes back, and from "Réessayer".
 */
export function refetchFailedReads(queryClient: QueryClient): Promise<void> {
  // Refusals (401, 403, 404…) would only be refused again, and a refused read of a file is journaled.
  return queryClient.refetchQueries({
    predicate: (q) => q.state.status === "error" && isUnexpected(q.state.error),
  });
}

/** A failed read (not a refused write) whose error this is: "Réessayer" reads it again. */
function isFailedRead(queryClient: QueryClient, error: unknown): boolean {
  return queryClient.getQueryCache().findAll({ predicate: (q) => q.state.error === error }).length > 0;
}

/** The title of a failed read of the partners' catalogue, where a form chooses its démarches in it. */
export const CATALOGUE_UNAVAILABLE = "Le catalogue des démarches ne peut pas être lu pour l'instant";

/**
 * Shows an API error in French: an expected refusal (4xx) says its catalogue message, with the issues
 * of a 400; an unexpected error says so, with the request id of a 500 or 503 for the support, and a
 * "Réessayer" button when a page's read failed. A malformed id in the page's address shows the
 * "Page non trouvée" page.
 */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }): ReactNode {
  const queryClient = useQueryClient();
  if (!error) return null;
  if (isMalformedAddress(error)) return <NotFoundPage />;
  const apiError = error instanceof ApiError ? error : null;
  const unexpected = isUnexpected(error);
  const description = (
    <>
      {apiError
        ? withoutListedIssues(apiError.message, apiError.body.issues ?? [])
        : "Le serveur ne répond pas. Réessayez plus tard."}
      {apiError?.body.issues && (
        <ul>
          {apiError.body.issues.map((issue) => (
            <li key={issue.path}>{issue.message}</li>
          ))}
        </ul>
      )}
      {unexpected && apiError?.body.requestId && <> (référence : {apiError.body.requestId})</>}
      {unexpected && isFailedRead(queryClient, error) && (
        <>
          <br />
          {/* Not a submit: the alert of a form's secondary read stands inside that form. */}
          <Button
            type="button"
            size="small"
            priority="secondary"
            className="fr-mt-1w"
            onClick={() => void refetchFailedReads(queryClient)}
          >
            Réessayer
          </Button>
        </>
      )}
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
