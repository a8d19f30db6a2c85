import { type MouseEvent, type ReactNode, useState } from "react";
import { downloadFile } from "../api/client";
import { ErrorAlert } from "./ErrorAlert";

/**
 * Links that download files the server prepares (the committee report, exports): while one is
 * prepared it says so ("Préparation de … en cours") and is not followed twice, and a refusal or a
 * failure is said in French — rather than nothing for a few seconds, then a failed download in the
 * browser's bar. The addresses stay real links (opened elsewhere with a modifier key, copied).
 * `feedback` goes under the links.
 */
export function useDownloads(): {
  onClick: (what: string, fallbackName: string) => (event: MouseEvent<HTMLAnchorElement>) => void;
  busy: string | null;
  feedback: ReactNode;
} {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const onClick = (what: string, fallbackName: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (busy) return;
    const href = event.currentTarget.href;
    setBusy(what);
    setError(null);
    downloadFile(href, fallbackName)
      .catch((failure: unknown) => setError(failure))
      .finally(() => setBusy(null));
  };
  const feedback = (
    <>
      <p role="status" className={busy ? "fr-text--sm fr-mb-2w" : "fr-sr-only"}>
        {busy ? `Préparation de « ${busy} » en cours…` : ""}
      </p>
      {error ? <ErrorAlert error={error} /> : null}
    </>
  );
  return { onClick, busy, feedback };
}
