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
export const isSameHalfDayRefusal = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.body.code === "convocation.sameHalfDay";

/**
 * The person's other convocation that half-day, said twice: right under the slots, where the agent
 * is when picking one (`at="slots"`: on a phone the submit button is screens away), and again above
 * the submit button, which then confirms (« … quand même ») the second convocation (`at="submit"`).
 */
export function HalfDayClashWarning({
  clash,
  action,
  at,
}: {
  clash: ConvocationView;
  action: string;
  at: "slots" | "submit";
}): ReactNode {
  const half = halfDayWord(clash.startsAt);
  const existing = `le ${formatAppointment(clash.startsAt)} ${atPlace(clash.siteName)}`;
  return (
    <Alert
      severity="warning"
      small
      className={at === "slots" ? "fr-mt-1w fr-mb-3w" : "fr-mb-2w"}
      description={
        at === "slots"
          ? `Déjà convoqué·e ${thatHalfDay(clash.startsAt)} : ${existing}. Si une seconde convocation le même ${half} est voulue, gardez ce créneau et cliquez sur « ${action} quand même » en bas du formulaire ; sinon choisissez un autre créneau.`
          : `Déjà convoqué·e ${thatHalfDay(clash.startsAt)} (${existing}) : « ${action} quand même » enregistre une seconde convocation le même ${half}.`
      }
    />
  );
}
