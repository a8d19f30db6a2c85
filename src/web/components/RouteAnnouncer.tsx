import { type ReactNode, useEffect, useRef, useState } from "react";
import { useLocation } from "react-router";

/** How long a page may take to draw its heading (lazy chunk, first query) before we give up. */
const WAIT_MS = 5_000;
const STEP_MS = 50;

/**
 * After a client-side navigation (not on the first load: the browser handles that one), moves the
 * focus to the new page's `h1` and announces the page's title to screen readers, as a full page
 * load would (an address with an anchor: the focus is left to the anchor). Only a change of path counts: filters in the query string keep the focus where it is.
 */
export function RouteAnnouncer(): ReactNode {
  const { pathname, hash } = useLocation();
  // An address with an anchor (`#convocation-…`) lands on it: the page moves the focus there.
  const toAnchor = useRef(hash !== "");
  toAnchor.current = hash !== "";
  const previous = useRef(pathname);
  const [announcement, setAnnouncement] = useState("");

  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    let waited = 0;
    const timer = window.setInterval(() => {
      waited += STEP_MS;
      const heading = document.querySelector<HTMLElement>("#contenu h1");
      if (!heading && waited < WAIT_MS) return;
      window.clearInterval(timer);
      const target = heading ?? document.getElementById("contenu");
      if (target && !toAnchor.current) {
        if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
        target.focus();
      }
      setAnnouncement(document.title);
    }, STEP_MS);
    return () => window.clearInterval(timer);
  }, [pathname]);

  return (
    <p className="fr-sr-only" role="status" aria-live="polite" aria-atomic="true">
      {announcement}
    </p>
  );
}
