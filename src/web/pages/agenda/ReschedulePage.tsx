import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { useParams } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import { rescheduleBodySchema, type SlotView } from "../../../common/agenda/agenda.schema";
import { peopleRoutes } from "../../../common/people/people.routes";
import { atPlace } from "../../../common/placeName";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { formatAppointment } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { usePageTitle } from "../../components/pageTitle";
import { HalfDayClashWarning, isSameHalfDayRefusal, useHalfDayClash } from "./HalfDayClash";
import { withOriginalChoice } from "./notifyChoice";
import { rescheduleNotice } from "./rescheduleNotice";
import { AfterBookingActions, chosenBoolean, NotifyChoice, SlotPicker, type YesNo } from "./SlotPicker";
import { SlotSubmit } from "./SlotSubmit";

/**
 * Moves a planned convocation: the old one is cancelled and a linked one booked, atomically. "Reporter"
 * sent again after a lost answer shows the same confirmation (the server answers the replacement,
 * ADR 0036); reopened later, the page says where the convocation went.
 */
const rescheduleLabels = {
  startsAt: "Nouveau créneau",
  notifySms: "Envoi par SMS",
  notifyEmail: "Envoi par courriel",
} as const;

export function ReschedulePage(): ReactNode {
  usePageTitle("Reporter une convocation");
  const { personId = "", convocationId = "" } = useParams();
  const { structureId } = useSession();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<SlotView | null>(null);
  const [notify, setNotify] = useState<{ sms: YesNo; email: YesNo }>({ sms: "", email: "" });
  const convocations = useQuery({
    queryKey: ["convocations", "person", personId],
    queryFn: () => call(agendaRoutes.list, { query: { personId } }),
  });
  const current = convocations.data?.convocations.find((c) => c.id === convocationId);
  // Already moved (a report whose answer was lost, then the page reopened): where it went.
  const replacement = convocations.data?.convocations.find((c) => c.rescheduledFromId === convocationId);
  // Milieu fermé (ADR 0028): nobody sends SMS or e-mail to a detainee, so nothing is asked.
  const person = useQuery({
    queryKey: ["people", personId],
    queryFn: () => call(peopleRoutes.get, { params: { personId } }),
  });
  const detained = Boolean(person.data?.detention);
  // The original convocation's choice, still editable: the person is told the new date as before
  // (a channel without its phone number or address now is "Non"). Filled once, never over a choice.
  const contact = person.data;
  useEffect(() => {
    if (!current || !contact) return;
    setNotify((n) => withOriginalChoice(n, current, contact));
  }, [current, contact]);
  const errors = useFormErrors("reschedule", rescheduleLabels, {
    "convocation.slotTaken": "startsAt",
    "convocation.slotUnavailable": "startsAt",
    "convocation.sameSlot": "startsAt",
    "convocation.sameHalfDay": "startsAt",
  });
  // Another planned convocation that half-day (not this one, which the report cancels).
  const halfDay = useHalfDayClash(personId, chosen, convocationId);
  const body = () => ({
    siteId: chosen?.siteId,
    startsAt: chosen?.startsAt,
    notifySms: detained ? false : chosenBoolean(notify.sms),
    notifyEmail: detained ? false : chosenBoolean(notify.email),
    confirmSameHalfDay: halfDay.confirm,
  });
  const move = useMutation({
    mutationFn: () => call(agendaRoutes.reschedule, { params: { convocationId }, body: body() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["convocations"] });
      await queryClient.invalidateQueries({ queryKey: ["people", personId] });
    },
    onError: async (error) => {
      // Booked meanwhile (another tab, a colleague), or not read (an outage): said once, by the warning
      // under the slots and above the button, which then confirms it (not also as a form error).
      if (isSameHalfDayRefusal(error)) {
        errors.clear();
        await halfDay.refused(error, chosen?.startsAt);
        return;
      }
      errors.showApiError(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(rescheduleBodySchema, body())) move.mutate();
  };
  // The form is replaced by the confirmation: its heading takes the focus, not the page's body.
  const doneHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (move.data) doneHeading.current?.focus();
  }, [move.data]);
  if (move.data) {
    return (
      <>
        <h1 ref={doneHeading} tabIndex={-1}>
          Convocation reportée
        </h1>
        <Alert
          severity="success"
          className="fr-mb-3w"
          title={`Nouveau rendez-vous le ${formatAppointment(move.data.startsAt)} ${atPlace(move.data.siteName)}`}
          description="L'ancienne convocation est annulée et reste dans l'historique."
        />
        <AfterBookingActions
          convocationId={move.data.id}
          personId={personId}
          letterLabel="Imprimer la nouvelle lettre"
        />
      </>
    );
  }
  const name = person.data ? `${person.data.lastName.toUpperCase()} ${person.data.firstName}` : "…";
  return (
    <>
      <Breadcrumb
        currentPageLabel="Reporter"
        segments={[
          { label: "Personnes suivies", linkProps: { to: "/personnes" } },
          { label: name, linkProps: { to: `/personnes/${personId}` } },
        ]}
      />
      <h1>Reporter une convocation</h1>
      <ErrorAlert error={convocations.error} />
      {current && (
        <p className="fr-text--lead">
          {current.personName}, convocation du {formatAppointment(current.startsAt)}{" "}
          {atPlace(current.siteName)}
        </p>
      )}
      {convocations.data && !current?.permissions.reschedule && (
        <Alert
          severity="info"
          small
          description={rescheduleNotice(current, replacement)}
          className="fr-mb-3w"
        />
      )}
      {convocations.data && !current?.permissions.reschedule && replacement && (
        <AfterBookingActions
          convocationId={replacement.id}
          personId={personId}
          letterLabel="Imprimer la nouvelle lettre"
        />
      )}
      {current?.permissions.reschedule && (
        <form onSubmit={submit} aria-label="Reporter la convocation" noValidate>
          {errors.summary}
          <SlotPicker
            structureId={structureId ?? ""}
            personId={personId}
            chosen={chosen}
            onChoose={setChosen}
            notice={halfDay.confirm && <HalfDayClashWarning halfDay={halfDay} action="Reporter" at="slots" />}
            error={{ id: errors.native("startsAt").id, message: errors.message("startsAt") }}
          />
          {detained ? (
            <Alert
              severity="info"
              small
              className="fr-mb-3w"
              description={`Personne détenue (${person.data?.detention?.siteName ?? ""}) : aucun SMS ni courriel. Remettez la nouvelle lettre à l'établissement.`}
            />
          ) : (
            <>
              <p className="fr-text--sm fr-mb-1w">
                Les envois choisis pour la convocation d'origine sont repris ; vous pouvez les changer.
              </p>
              <NotifyChoice
                sms={notify.sms}
                email={notify.email}
                contact={person.data}
                onChange={setNotify}
                errors={errors}
              />
            </>
          )}
          <SlotSubmit
            id="reschedule-chosen"
            structureId={structureId ?? ""}
            chosen={chosen}
            lead="Nouveau rendez-vous"
            pending={move.isPending}
            warning={
              halfDay.confirm && <HalfDayClashWarning halfDay={halfDay} action="Reporter" at="submit" />
            }
          >
            {halfDay.confirm ? "Reporter quand même" : "Reporter"}
          </SlotSubmit>
        </form>
      )}
    </>
  );
}
