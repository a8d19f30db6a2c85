import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { ConvocationView, SlotView } from "../../../common/agenda/agenda.schema";
import { halfDayWord, sameHalfDayClash, thatHalfDay } from "../../../common/agenda/halfDayClash";
import { atPlace } from "../../../common/placeName";
import { ApiError, call } from "../../api/client";
import { formatAppointment } from "../../components/dates";

/**
 * The person's planned convocation in the chosen slot's half-day (the server's rule,
 * `sameHalfDayClash`, ADR 0003 addendum « same half-day »); `except` is the convocation being moved.
 */
export function useHalfDayClash(
  personId: string,
  chosen: SlotView | null,
  except?: string,
): ConvocationView | undefined {
  // The person file's and the report page's query (same key): read from the cache when there.
  const convocations = useQuery({
    queryKey: ["convocations", "person", personId],
    queryFn: () => call(agendaRoutes.list, { query: { personId } }),
  });
  if (!chosen) return undefined;
  return sameHalfDayClash(convocations.data?.convocations ?? [], chosen.startsAt, except);
}

/**
 * The server refused a second convocation that half-day the page did not know of (booked meanwhile):
 * only then are the person's convocations read again (never after a lost answer, which the page
 * must keep saying so the agent sends the same request again, ADR 0036).
 */
export const isSameHalfDayRefusal = (error: unknown): boolean =>
  error instanceof ApiError && error.body.code === "convocation.sameHalfDay";

/** Said above the submit button, which then confirms (« … quand même »): the second convocation. */
export function HalfDayClashWarning({
  clash,
  action,
}: {
  clash: ConvocationView;
  action: string;
}): ReactNode {
  const half = halfDayWord(clash.startsAt);
  return (
    <Alert
      severity="warning"
      small
      className="fr-mb-2w"
      description={`Déjà convoqué·e ${thatHalfDay(clash.startsAt)} : le ${formatAppointment(clash.startsAt)} ${atPlace(clash.siteName)}. Si une seconde convocation le même ${half} est voulue, cliquez sur « ${action} quand même » ; sinon choisissez un autre créneau.`}
    />
  );
}
