import type { Openings } from "../../../common/agenda/agenda.schema";
import { formatDate } from "../../components/dates";

type Counselor = Openings["counselors"][number];

/** What the pool picker says under an untrained counselor's name (ADR 0038). */
export const UNTRAINED_HINT =
  "Formation France services non enregistrée : à enregistrer dans « Agents de la structure » (le label France services la demande).";

/**
 * The pool picker's checkboxes (ADR 0038): each counselor with their France services training, or
 * the reminder that it is not recorded. An untrained counselor may still be chosen (a warning, not
 * a refusal: the direction's home lists them until their training is recorded).
 */
export function poolOptions(counselors: Counselor[], pool: string[], setPool: (next: string[]) => void) {
  return counselors.map((c) => ({
    label: c.name,
    hintText: c.trainedOn ? `Formation France services le ${formatDate(c.trainedOn)}` : UNTRAINED_HINT,
    nativeInputProps: {
      checked: pool.includes(c.id),
      onChange: (e: { target: { checked: boolean } }) =>
        setPool(e.target.checked ? [...pool, c.id] : pool.filter((p) => p !== c.id)),
    },
  }));
}
