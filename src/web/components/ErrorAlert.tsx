import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";
import { ApiError } from "../api/client";

/** Shows an API error in French, with the issues of a 400 and the request id of a 500 or 503. */
export function ErrorAlert({
  error,
  title = "Une erreur est survenue",
}: {
  error: unknown;
  title?: string;
}): ReactNode {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  return (
    <Alert
      severity="error"
      title={title}
      className="fr-mb-3w"
      description={
        <>
          {apiError?.message ?? "Le serveur ne répond pas. Réessayez plus tard."}
          {apiError?.body.issues && (
            <ul>
              {apiError.body.issues.map((issue) => (
                <li key={issue.path}>{issue.message}</li>
              ))}
            </ul>
          )}
          {(apiError?.status === 500 || apiError?.status === 503) && apiError.body.requestId && (
            <> (référence : {apiError.body.requestId})</>
          )}
        </>
      }
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
