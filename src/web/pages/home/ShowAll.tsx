import { Button } from "@codegouvfr/react-dsfr/Button";
import { type ReactNode, useState } from "react";

/** Rows shown at first in each list of the home page: the page stays short, on a phone too. */
export const HOME_FIRST_ROWS = 3;
/** People shown at first where each takes a block of its own (news, the caseload). */
export const HOME_FIRST_PEOPLE = 5;

/**
 * The first `first` items of a home list, and a button showing the others in place (for lists no
 * other page holds in full). A list longer by one item only is shown whole: a button to show one
 * row would take as much room as the row. `what` names the list in the button ("démarches en
 * retard"), so that each button of the page has its own name.
 */
export function useShowAll<T>(
  items: readonly T[],
  { first, what, controls }: { first: number; what: string; controls: string },
): { shown: readonly T[]; button: ReactNode } {
  const [all, setAll] = useState(false);
  if (items.length <= first + 1) return { shown: items, button: null };
  return {
    shown: all ? items : items.slice(0, first),
    button: (
      <Button
        priority="tertiary no outline"
        size="small"
        iconId={all ? "fr-icon-arrow-up-s-line" : "fr-icon-arrow-down-s-line"}
        iconPosition="right"
        aria-expanded={all}
        aria-controls={controls}
        onClick={() => setAll(!all)}
      >
        {all ? `Réduire la liste des ${what}` : `Afficher les ${items.length} ${what}`}
      </Button>
    ),
  };
}
