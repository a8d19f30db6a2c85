import type { Openings } from "../../../common/agenda/agenda.schema";
import { formatDate } from "../../components/dates";

type Counselor = Openings["counselors"][number];

/** What the pool picker says under an untrained counselor's name (ADR 0038). */
export const UNTRAINED_HINT =
  "Formation France services non enregistrée : à enregistrer dans « Agents de la structure » avant de rejoindre une permanence.";

/**
 * The pool picker's checkboxes (ADR 0038): each counselor with their France services training; one
 * without it is greyed, with the reason, unless already in the pool (`kept`: the permanence's pool
 * before a change), where they keep their place. The server refuses the rest the same way.
 */
export function poolOptions(
  counselors: Counselor[],
  pool: string[],
  setPool: (next: string[]) => void,
  kept: readonly string[] = [],
) {
  return counselors.map((c) => {
    const staying = kept.includes(c.id);
    return {
      label: c.name,
      hintText: c.trainedOn
        ? `Formation France services le ${formatDate(c.trainedOn)}`
        : staying
          ? "Formation France services non enregistrée : reste dans cette permanence, mais n'y reviendra pas une fois retiré."
          : UNTRAINED_HINT,
      nativeInputProps: {
        checked: pool.includes(c.id),
        disabled: !c.trainedOn && !staying && !pool.includes(c.id),
        onChange: (e: { target: { checked: boolean } }) =>
          setPool(e.target.checked ? [...pool, c.id] : pool.filter((p) => p !== c.id)),
      },
    };
  });
}
