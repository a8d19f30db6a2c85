import { useCallback, useEffect, useState } from "react";

/**
 * A focus asked for now, given once its target is on the page: at once when it is already there
 * (« Aujourd'hui » on the week shown), or when it comes (another week's list has loaded). The target
 * is scrolled to the top of the window (its `scroll-margin-top` kept), then focused.
 * `ready` holds the focus back while the target is drawn but about to change (a grid still loading).
 */
export function useFocusWhenShown(find: () => HTMLElement | null, ready = true): () => void {
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    if (asked === 0 || !ready) return;
    const target = find();
    if (!target) return;
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
    setAsked(0);
  });
  // A counter, not a flag: asked again while waiting, or after it was given, the focus comes again.
  return useCallback(() => setAsked((n) => n + 1), []);
}
