import { Button } from "@codegouvfr/react-dsfr/Button";
import type { ReactNode } from "react";
import type { SlotView } from "../../../common/agenda/agenda.schema";
import { ChosenSlotSummary } from "./SlotPicker";

/**
 * The end of a booking or reschedule form: the chosen slot said once more (or that none is chosen),
 * then the submit button, which that sentence describes for screen readers.
 */
export function SlotSubmit({
  id,
  structureId,
  chosen,
  lead,
  pending,
  warning,
  children,
}: {
  /** The summary's id, the button's description. */
  id: string;
  structureId: string;
  chosen: SlotView | null;
  /** "Convocation", "Nouveau rendez-vous". */
  lead: string;
  /** The request is on its way: the button waits. */
  pending: boolean;
  /** What the button confirms despite it (another convocation that half-day): also its description. */
  warning?: ReactNode;
  /** The button's label. */
  children: ReactNode;
}): ReactNode {
  const warningId = `${id}-warning`;
  return (
    <>
      <ChosenSlotSummary id={id} structureId={structureId} chosen={chosen} lead={lead} />
      {/* Not announced here: the same warning under the slots already was, when the slot was picked. */}
      {warning && <div id={warningId}>{warning}</div>}
      <Button
        type="submit"
        disabled={pending}
        nativeButtonProps={{ "aria-describedby": warning ? `${id} ${warningId}` : id }}
      >
        {children}
      </Button>
    </>
  );
}
