import { useMemo, useRef } from "react";

/**
 * One request at a time for a form: `once(send)` runs `send` unless the previous one has not
 * settled (`done`, from the mutation's `onSettled`). A button clicked twice before the page is drawn
 * again (a mutation's `isPending` disables it only then) would otherwise send twice.
 */
export function useOneRequest(): { once: (send: () => void) => void; done: () => void } {
  const sending = useRef(false);
  return useMemo(
    () => ({
      once: (send) => {
        if (sending.current) return;
        sending.current = true;
        send();
      },
      done: () => {
        sending.current = false;
      },
    }),
    [],
  );
}
