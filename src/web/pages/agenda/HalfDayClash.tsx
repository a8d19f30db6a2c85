import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import type { ConvocationView, SlotView } from "../../../common/agenda/agenda.schema";
import { halfDayOf, halfDayWord, sameHalfDayClash, thatHalfDay } from "../../../common/agenda/halfDayClash";
import { atPlace } from "../../../common/placeName";
import { ApiError, call } from "../../api/client";
import { formatAppointment } from "../../components/dates";

/**
 * The server refused a second convocation that half-day the page did not know of (booked meanwhile):
 * only then are the person's convocations read again (never after a lost answer, which the page
 * must keep saying so the agent sends the same request again, ADR 0036).
 */
export const isSameHalfDayRefusal = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.body.code === "convocation.sameHalfDay";

/** The chosen slot's half-day as the booking pages know it: said under the slots, confirmed by the button. */
export interface HalfDayClash {
  /** The person's planned convocation that half-day, from the page's read. */
  clash?: ConvocationView;
  /** The server's refusal for that half-day when the read could not say it (failed: an outage). */
  refusal?: string;
  /** The button then books « quand même » (`confirmSameHalfDay`). */
  confirm: boolean;
  /** After a refused request: a same half-day refusal is kept for that half-day, the read made again. */
  refused(error: unknown, startsAt: string | undefined): Promise<void>;
}

/**
 * The person's planned convocation in the chosen slot's half-day (the server's rule,
 * `sameHalfDayClash`, ADR 0003 addendum « same half-day »); `except` is the convocation being moved.
 * Its read may fail (an outage) while the server still refuses the clash (409): the refusal is then
 * what the page says and confirms, for that half-day.
 */
export function useHalfDayClash(personId: string, chosen: SlotView | null, except?: string): HalfDayClash {
  const queryClient = useQueryClient();
  // The person file's and the report page's query (same key): read from the cache when there.
  const convocations = useQuery({
    queryKey: ["convocations", "person", personId],
    queryFn: () => call(agendaRoutes.list, { query: { personId } }),
  });
  const [refusal, setRefusal] = useState<{ halfDay: string; message: string } | null>(null);
  const clash = chosen
    ? sameHalfDayClash(convocations.data?.convocations ?? [], chosen.startsAt, except)
    : undefined;
  const refused =
    !clash && chosen && refusal?.halfDay === halfDayOf(chosen.startsAt) ? refusal.message : undefined;
  return {
    clash,
    refusal: refused,
    confirm: clash !== undefined || refused !== undefined,
    refused: async (error, startsAt) => {
      if (!isSameHalfDayRefusal(error) || !startsAt) return;
      setRefusal({ halfDay: halfDayOf(startsAt), message: error.message });
      // Booked meanwhile (another tab, a colleague): the person's convocations read again.
      await queryClient.invalidateQueries({ queryKey: ["convocations", "person", personId] });
    },
  };
}

/**
 * The person's other convocation that half-day, said twice: right under the slots, where the agent
 * is when picking one (`at="slots"`: on a phone the submit button is screens away), and again above
 * the submit button, which then confirms (« … quand même ») the second convocation (`at="submit"`).
 */
export function HalfDayClashWarning({
  halfDay,
  action,
  at,
}: {
  halfDay: HalfDayClash;
  action: string;
  at: "slots" | "submit";
}): ReactNode {
  const { clash, refusal } = halfDay;
  if (!clash && !refusal) return null;
  const description = clash
    ? at === "slots"
      ? `Déjà convoqué·e ${thatHalfDay(clash.startsAt)} : ${existingOf(clash)}. Si une seconde convocation le même ${halfDayWord(clash.startsAt)} est voulue, gardez ce créneau et cliquez sur « ${action} quand même » en bas du formulaire ; sinon choisissez un autre créneau.`
      : `Déjà convoqué·e ${thatHalfDay(clash.startsAt)} (${existingOf(clash)}) : « ${action} quand même » enregistre une seconde convocation le même ${halfDayWord(clash.startsAt)}.`
    : at === "slots"
      ? `${refusal} Si c'est voulu, gardez ce créneau et cliquez sur « ${action} quand même » en bas du formulaire ; sinon choisissez un autre créneau.`
      : `${refusal} « ${action} quand même » enregistre une seconde convocation.`;
  return (
    <Alert
      severity="warning"
      small
      className={at === "slots" ? "fr-mt-1w fr-mb-3w" : "fr-mb-2w"}
      description={description}
    />
  );
}

const existingOf = (clash: ConvocationView): string =>
  `le ${formatAppointment(clash.startsAt)} ${atPlace(clash.siteName)}`;
