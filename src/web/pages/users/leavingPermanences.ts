import type { Openings } from "../../../common/agenda/agenda.schema";
import { permanenceDay } from "../../../common/agenda/permanenceDay";
import { formatTimeOfDay } from "../../components/dates";

/** What the confirmation says of the permanences an agent would leave: a lead, one line each, a tail. */
export type LeavingPermanences = { lead: string; items: string[]; tail: string };

/**
 * What deactivating an agent does to the permanences she holds (ADR 0016 addendum): each one, and
 * whether it stops (nobody else holds it) or goes on with the others, from today. Read from the
 * openings the direction's permanences page reads; null while unknown or when she holds none.
 * One item per permanence, shown as a list (a run-on sentence was unreadable on a phone).
 */
export function leavingPermanences(
  openings: Openings | undefined,
  userId: string,
): LeavingPermanences | null {
  const held = (openings?.rules ?? []).filter((r) => r.counselors.some((c) => c.id === userId));
  if (held.length === 0) return null;
  const items = held.map((r) => {
    const others = r.counselors.filter((c) => c.id !== userId).map((c) => c.name);
    return `${r.siteName}, ${permanenceDay(r)}, ${formatTimeOfDay(r.startTime)} – ${formatTimeOfDay(r.endTime)} : ${
      others.length === 0
        ? "personne d'autre ne la tient, elle s'arrête"
        : `elle continue avec ${others.join(", ")}`
    }`;
  });
  return {
    lead: `${held.length === 1 ? "Sa permanence" : "Ses permanences"} à partir d'aujourd'hui :`,
    items,
    tail: "Les heures des jours passés ne changent pas.",
  };
}
