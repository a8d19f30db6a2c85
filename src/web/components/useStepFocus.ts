import { type RefObject, useEffect, useRef } from "react";

/** What a step's box may hold and take the focus: its fields and buttons, in the page's order. */
const CONTROLS =
  "input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled])";

/** The boxes whose step Échap closes now: a step opened inside another's box closes first. */
const closable = new Set<RefObject<HTMLDivElement | null>>();

/**
 * A box whose buttons are replaced by another step (a confirmation, a small form, back to the
 * buttons): when `step` changes, the focus goes to the new step's first control instead of falling
 * to the page's body, where a keyboard user would start again from the top. Back to the first step,
 * it goes to the button that opened the one just closed, when it is still there. A box that is only
 * the confirmation (its opener stays elsewhere on the page, as a row's « Retirer ») has no control
 * once closed: the focus goes back to that opener itself.
 *
 * `close`, given while a step is open, is what Échap does in the box, as in a dialog: it closes the
 * step (back to the buttons, the focus on the one that opened it). Without it, Échap does nothing.
 * A step open inside another's box (a confirmation in a form that is itself a step) closes alone.
 */
export function useStepFocus<Step>(
  step: Step,
  close?: () => void,
): {
  box: RefObject<HTMLDivElement | null>;
  /**
   * The `onClick` of a button that opens the next step: remembers the button (its text, and itself
   * when it stays outside the box) to come back to it, then opens the step.
   */
  opens: (open: () => void) => (event: { currentTarget: HTMLElement }) => void;
  /**
   * The next change of step leaves the focus where it is: a step that ends in a notice said by the
   * page (which takes the focus) does not give it back to the button.
   */
  quiet: () => void;
} {
  const box = useRef<HTMLDivElement>(null);
  const drawn = useRef(step);
  const opener = useRef<{ text: string | null; element: HTMLElement } | null>(null);
  const silent = useRef(false);
  useEffect(() => {
    if (Object.is(drawn.current, step)) return;
    drawn.current = step;
    if (silent.current) {
      silent.current = false;
      opener.current = null;
      return;
    }
    const controls = [...(box.current?.querySelectorAll<HTMLElement>(CONTROLS) ?? [])];
    const back = controls.find((c) => c.textContent === opener.current?.text);
    const left = opener.current?.element;
    const outside = controls.length === 0 && left?.isConnected ? left : undefined;
    if (back || outside) opener.current = null;
    (back ?? controls[0] ?? outside)?.focus();
  }, [step]);
  // Listened to on the document (the box's element changes with the step), for a key pressed in the box.
  const closing = useRef(close);
  closing.current = close;
  const open = close !== undefined;
  useEffect(() => {
    if (!open) return;
    closable.add(box);
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      const target = event.target;
      const here = box.current;
      if (!(target instanceof Node) || !here?.contains(target)) return;
      // A step open in this box, around the key, is the one to close.
      for (const other of closable) {
        const inner = other.current;
        if (other !== box && inner && inner !== here && here.contains(inner) && inner.contains(target))
          return;
      }
      event.preventDefault();
      closing.current?.();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      closable.delete(box);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  return {
    box,
    opens: (open) => (event) => {
      opener.current = { text: event.currentTarget.textContent, element: event.currentTarget };
      open();
    },
    quiet: () => {
      silent.current = true;
    },
  };
}
