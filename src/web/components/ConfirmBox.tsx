import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ReactNode, Ref } from "react";
import { ErrorAlert } from "./ErrorAlert";

/**
 * The page's own question before an action that cannot be undone (a withdrawal, an archive): a
 * warning box in the page's words, under what it is about, instead of the browser's `confirm()` (its
 * buttons in the browser's language). The first button acts, the second keeps things as they are;
 * the caller's `useStepFocus` gives the box the focus and Échap. `small` is the compact form used
 * inside a list's row.
 */
export function ConfirmBox({
  title,
  heading = "h3",
  children,
  confirmLabel,
  keepLabel,
  onConfirm,
  onKeep,
  busy,
  error,
  small = false,
  className,
  boxRef,
}: {
  title: ReactNode;
  /** The title's level in the page's outline (ignored when `small`: a bold line). */
  heading?: "h2" | "h3";
  /** What the action does, said plainly. */
  children: ReactNode;
  confirmLabel: ReactNode;
  keepLabel: string;
  onConfirm: () => void;
  onKeep: () => void;
  busy: boolean;
  error: unknown;
  small?: boolean;
  className?: string;
  boxRef?: Ref<HTMLDivElement>;
}): ReactNode {
  const Title = heading;
  const size = small ? "small" : "medium";
  return (
    <div
      className={["fr-alert fr-alert--warning", small ? "fr-alert--sm" : "", className ?? ""]
        .join(" ")
        .trim()}
      role="alert"
      ref={boxRef}
    >
      {small ? (
        <p className="fr-text--bold fr-mb-1v">{title}</p>
      ) : (
        <Title className="fr-alert__title">{title}</Title>
      )}
      {children}
      <ErrorAlert error={error} />
      <ul
        className={
          small
            ? "fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w"
            : "fr-btns-group fr-btns-group--inline-md fr-mt-2w"
        }
      >
        <li>
          <Button size={size} onClick={onConfirm} disabled={busy}>
            {confirmLabel}
          </Button>
        </li>
        <li>
          <Button size={size} priority="secondary" onClick={onKeep}>
            {keepLabel}
          </Button>
        </li>
      </ul>
    </div>
  );
}
