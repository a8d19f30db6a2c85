import { type RefObject, useEffect, useRef } from "react";

/**
 * A box whose buttons are replaced by another step (a confirmation, a small form, back to the
 * buttons): when `step` changes, the focus goes to the new step's first control instead of falling
 * to the page's body, where a keyboard user would start again from the top. Back to the first step,
 * it goes to the button that opened the one just closed, when it is still there.
 */
export function useStepFocus<Step>(step: Step): {
  box: RefObject<HTMLDivElement | null>;
  /** Remembers the button that opens the next step (its text), to come back to it. */
  opened: (event: { currentTarget: HTMLElement }) => void;
  /**
   * The next change of step leaves the focus where it is: a step that ends in a notice said by the
   * page (which takes the focus) does not give it back to the button.
   */
  quiet: () => void;
} {
  const box = useRef<HTMLDivElement>(null);
  const drawn = useRef(step);
  const opener = useRef<string | null>(null);
  const silent = useRef(false);
  useEffect(() => {
    if (Object.is(drawn.current, step)) return;
    drawn.current = step;
    if (silent.current) {
      silent.current = false;
      opener.current = null;
      return;
    }
    const controls = [
      ...(box.current?.querySelectorAll<HTMLElement>("input:not([disabled]), button:not([disabled])") ?? []),
    ];
    const back = controls.find((c) => c.textContent === opener.current);
    if (back) opener.current = null;
    (back ?? controls[0])?.focus();
  }, [step]);
  return {
    box,
    opened: (event) => {
      opener.current = event.currentTarget.textContent;
    },
    quiet: () => {
      silent.current = true;
    },
  };
}
