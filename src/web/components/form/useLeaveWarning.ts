import { useEffect } from "react";

/**
 * While `dirty`, reloading the page, closing its tab or leaving for another site asks the browser's
 * confirmation first: a long form (a visit) typed for twenty minutes is not lost to a stray key.
 */
export function useLeaveWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers need a value: none shows it, each says its own words.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}
