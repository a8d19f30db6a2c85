import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { type ReactNode, useEffect, useRef, useState } from "react";

/** The wrapper is the live region: the success Alert's own role=status would be a second one. */
const noOwnRole = { role: undefined };

/**
 * "Démarche enregistrée.": the confirmation of a save, in the app's one way. With `focus` (the
 * default), it takes the focus when shown — the submit button, disabled while saving, has dropped
 * it, and a form that closes leaves it on the page's body. Without it (a page reached by a
 * redirection, whose heading takes the focus), its live region tells screen readers once the page
 * is drawn.
 */
export function SuccessNotice({
  message,
  focus = true,
  className = "fr-mb-2w",
}: {
  message: string;
  focus?: boolean;
  className?: string;
}): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  // Written into the live region after it exists, so that it is announced, not just present.
  const [shown, setShown] = useState("");
  useEffect(() => {
    setShown(message);
    if (focus) ref.current?.focus();
  }, [message, focus]);
  return (
    <div ref={ref} tabIndex={-1} role="status" className={className}>
      {shown && <Alert severity="success" small closable={false} description={shown} {...noOwnRole} />}
    </div>
  );
}
