import { type ReactNode, useId, useState } from "react";
import { filterNotes, type NarrowingFilter } from "../../../common/reporting/definitions";
import type { DashboardTable, Figure } from "../../../common/reporting/reporting.schema";

/**
 * The "ⓘ" button of a figure or table and what it opens: the definition written from the queries
 * (a disclosure: a real button, `aria-expanded`, the text right after it in the reading order).
 */
export function useDefinition(label: string, definition: string): { button: ReactNode; panel: ReactNode } {
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!definition) return { button: null, panel: null };
  return {
    button: (
      <button
        type="button"
        className="fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-information-line fr-ml-1v"
        title={`Définition : ${label}`}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        Définition : {label}
      </button>
    ),
    panel: (
      <div id={id} hidden={!open} className="fr-mt-1w fr-p-1w fr-text--sm fr-background-alt--blue-france">
        <p className="fr-text--sm fr-mb-0">
          <strong>Définition.</strong> {definition}
        </p>
      </div>
    ),
  };
}

/** "Le filtre « Conseiller » ne s'applique pas à ce tableau", when such a filter is chosen. */
export function FilterNotes({
  chosen,
  item,
  what,
}: {
  chosen: Partial<Record<NarrowingFilter, string>>;
  item: Figure | DashboardTable;
  what: "figure" | "table";
}): ReactNode {
  const notes = filterNotes(chosen, item, what);
  if (notes.length === 0) return null;
  return (
    <>
      {notes.map((note) => (
        <p key={note} className="fr-text--xs fr-mb-1v fr-icon-warning-line fr-icon--sm" data-filter-note>
          {" "}
          {note}
        </p>
      ))}
    </>
  );
}
