import { useIsModalOpen } from "@codegouvfr/react-dsfr/Modal/useIsModalOpen";
import { useRef } from "react";

/**
 * Opens a DSFR modal from a button and, when the modal closes ("Annuler", Échap, the cross), gives
 * the focus back to that button: opened by script, the DSFR leaves it on the page's body and a
 * keyboard user starts again from the top. A button gone meanwhile (its row restored, removed) or
 * disabled (its action running) is left to the notice that the action shows.
 */
export function useModalOpener(modal: {
  id: string;
  isOpenedByDefault: boolean;
  open: () => void;
}): (event: { currentTarget: HTMLElement }) => void {
  const opener = useRef<HTMLElement | null>(null);
  useIsModalOpen(modal, {
    onConceal: () => {
      const button = opener.current;
      opener.current = null;
      if (button?.isConnected && !button.matches(":disabled")) button.focus();
    },
  });
  return (event) => {
    opener.current = event.currentTarget;
    modal.open();
  };
}
