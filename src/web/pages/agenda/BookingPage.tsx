import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import {
  bookBodySchema,
  type NeedDomain,
  needDomainLabels,
  needDomains,
  type SlotView,
} from "../../../common/agenda/agenda.schema";
import { addDays } from "../../../common/calendar";
import { heldIn, releaseDay } from "../../../common/detention/place";
import { peopleRoutes } from "../../../common/people/people.routes";
import { atPlace } from "../../../common/placeName";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { useMutation } from "../../api/useMutation";
import { formatAppointment, formatDate, parisDayOf } from "../../components/dates";
import { CATALOGUE_UNAVAILABLE, ErrorAlert, isPersonNotFound } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useLeaveWarning } from "../../components/form/useLeaveWarning";
import { usePageTitle } from "../../components/pageTitle";
import { withLengthHint } from "../../components/wording";
import { NotFoundPage } from "../errors/ErrorPages";
import { editRefusalText } from "../people/editRights";
import { HalfDayClashWarning, isSameHalfDayRefusal, useHalfDayClash } from "./HalfDayClash";
import { MessagesPreview } from "./MessagesPreview";
import { AfterBookingActions, chosenBoolean, NotifyChoice, SlotPicker, type YesNo } from "./SlotPicker";
import { SlotSubmit } from "./SlotSubmit";

const bookingLabels = {
  startsAt: "Créneau",
  needDomains: "Motifs de la convocation",
  demarcheTypeIds: "Démarches à préparer",
  comment: "Commentaire pour le conseiller",
  notifySms: "Envoi par SMS",
  notifyEmail: "Envoi par courriel",
} as const;

/** `?dans=N` (days, from the CPIP home's "Convoquer"): the first day of the slot search. */
function suggestedFrom(dans: string | null): string | undefined {
  const days = Number(dans);
  if (!dans || !Number.isInteger(days) || days <= 0 || days > 92) return undefined;
  return addDays(parisDayOf(), days);
}

export function BookingPage(): ReactNode {
  const { personId = "" } = useParams();
  const from = suggestedFrom(useSearchParams()[0].get("dans"));
  const { structureId } = useSession();
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<SlotView | null>(null);
  const [needs, setNeeds] = useState<NeedDomain[]>([]);
  const [demarches, setDemarches] = useState<string[]>([]);
  const [comment, setComment] = useState("");
  const [sms, setSms] = useState<YesNo>("");
  const [email, setEmail] = useState<YesNo>("");

  const person = useQuery({
    queryKey: ["people", personId],
    queryFn: () => call(peopleRoutes.get, { params: { personId } }),
  });
  const catalogue = useQuery({ queryKey: ["catalogue"], queryFn: () => call(structuresRoutes.catalogue) });
  const errors = useFormErrors("booking", bookingLabels, {
    "convocation.slotTaken": "startsAt",
    "convocation.slotUnavailable": "startsAt",
    "convocation.sameHalfDay": "startsAt",
  });
  // Milieu fermé (ADR 0028): nobody sends SMS or e-mail to a person held on the convocation's day
  // (the one rule, `heldIn`: recorded or expected release), the server decides the same.
  const detention = person.data?.detention ?? null;
  const heldOnDay = (day: string) => detention !== null && heldIn(detention, day) !== null;
  const detained = heldOnDay(chosen ? parisDayOf(chosen.startsAt) : parisDayOf());
  // Held today, out by the appointment: the messages wait for the release morning.
  const outOn = !detained && heldOnDay(parisDayOf()) ? releaseDay(detention) : null;
  // Another planned convocation that half-day: said under the slot, the button then confirms it.
  const halfDay = useHalfDayClash(personId, chosen);
  const body = () => ({
    personId,
    siteId: chosen?.siteId,
    startsAt: chosen?.startsAt,
    needDomains: needs,
    demarcheTypeIds: demarches,
    comment,
    notifySms: detained ? false : chosenBoolean(sms),
    notifyEmail: detained ? false : chosenBoolean(email),
    confirmSameHalfDay: halfDay.confirm,
  });
  const book = useMutation({
    mutationFn: () => call(agendaRoutes.book, { body: body() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["convocations"] });
      await queryClient.invalidateQueries({ queryKey: ["slots"] });
      // The file's summary shows the next convocation.
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
  // A slot or reasons chosen but not booked: a reload or a closed tab asks first (not once booked).
  useLeaveWarning(
    !book.data &&
      (chosen !== null ||
        needs.length + demarches.length > 0 ||
        comment !== "" ||
        sms !== "" ||
        email !== ""),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(bookBodySchema, body())) book.mutate();
  };
  const name = person.data ? `${person.data.lastName.toUpperCase()} ${person.data.firstName}` : "…";
  // A convocation already planned (the page reloaded after booking, or reopened): said before a second.
  const planned = person.data?.summary.nextConvocation ?? null;
  usePageTitle(person.data ? `Convoquer ${name}` : null);

  // The form is replaced by the confirmation: its heading takes the focus, not the page's body.
  const doneHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (book.data) doneHeading.current?.focus();
  }, [book.data]);

  if (book.data) {
    return (
      <>
        <h1 ref={doneHeading} tabIndex={-1}>
          Convocation enregistrée
        </h1>
        <Alert
          severity="success"
          className="fr-mb-3w"
          title={`${name} est convoqué·e le ${formatAppointment(book.data.startsAt)} ${atPlace(book.data.siteName)}`}
          description={
            book.data.messages
              ? outOn
                ? `La personne sera prévenue comme vous l'avez choisi, à partir du matin de sa sortie (${formatDate(outOn)}).`
                : "La personne sera prévenue comme vous l'avez choisi."
              : detained
                ? "Personne détenue ce jour-là : aucun SMS ni courriel. Remettez la lettre à l'établissement et imprimez la liste des mouvements du jour (page Milieu fermé)."
                : "Aucun message ne sera envoyé : pensez à remettre la convocation à la personne."
          }
        />
        <AfterBookingActions
          convocationId={book.data.id}
          personId={personId}
          letterLabel="Imprimer la lettre de convocation"
        />
      </>
    );
  }

  if (isPersonNotFound(person.error))
    return <NotFoundPage back={{ to: "/personnes", label: "Personnes suivies" }} />;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Convoquer"
        segments={[
          { label: "Personnes suivies", linkProps: { to: "/personnes" } },
          { label: name, linkProps: { to: `/personnes/${personId}` } },
        ]}
      />
      <h1>Convoquer {name} à une permanence France services</h1>
      <ErrorAlert error={person.error} />
      {person.data && !person.data.permissions.edit ? (
        // Said before any form (the server refuses the booking the same way: people/policies.ts).
        <>
          <Alert
            severity="info"
            className="fr-mb-3w"
            title="Vous ne pouvez pas convoquer cette personne"
            description={editRefusalText(person.data, "convoquer cette personne")}
          />
          <Link to={`/personnes/${personId}`} className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
            Retour au dossier
          </Link>
        </>
      ) : (
        <>
          {planned && (
            <Alert
              severity="info"
              small
              className="fr-mb-3w"
              description={
                <>
                  Déjà convoqué·e le {formatAppointment(planned.startsAt)} {atPlace(planned.siteName)}. Pour
                  changer ce rendez-vous,{" "}
                  <Link to={`/personnes/${personId}/convocations/${planned.id}/reporter`}>
                    reportez cette convocation
                  </Link>{" "}
                  plutôt que d'en réserver une seconde.
                </>
              }
            />
          )}
          <form onSubmit={submit} aria-label="Convocation" noValidate>
            {errors.summary}
            {from && (
              <Alert
                severity="info"
                small
                className="fr-mb-3w"
                description={`Sur proposition du conseiller, les créneaux sont cherchés à partir du ${formatDate(from)}.`}
              />
            )}
            <SlotPicker
              structureId={structureId ?? ""}
              personId={personId}
              chosen={chosen}
              onChoose={setChosen}
              notice={
                halfDay.confirm && <HalfDayClashWarning halfDay={halfDay} action="Convoquer" at="slots" />
              }
              error={{ id: errors.native("startsAt").id, message: errors.message("startsAt") }}
              from={from}
            />
            <Checkbox
              legend="Motifs de la convocation"
              orientation="horizontal"
              {...errors.state("needDomains")}
              id={errors.native("needDomains").id}
              options={needDomains.map((domain) => ({
                label: needDomainLabels[domain],
                nativeInputProps: {
                  checked: needs.includes(domain),
                  onChange: (e) =>
                    setNeeds(e.target.checked ? [...needs, domain] : needs.filter((n) => n !== domain)),
                },
              }))}
            />
            <Accordion label="Démarches à préparer (facultatif)" titleAs="h2" className="fr-mb-3w">
              <ErrorAlert error={catalogue.error} title={CATALOGUE_UNAVAILABLE} />
              {(catalogue.data?.partners ?? [])
                .filter((p) => p.demarcheTypes.length > 0)
                .map((p) => (
                  <Checkbox
                    key={p.id}
                    legend={p.name}
                    small
                    options={p.demarcheTypes.map((d) => ({
                      label: d.label,
                      nativeInputProps: {
                        checked: demarches.includes(d.id),
                        onChange: (e) =>
                          setDemarches(
                            e.target.checked ? [...demarches, d.id] : demarches.filter((x) => x !== d.id),
                          ),
                      },
                    }))}
                  />
                ))}
            </Accordion>
            <Input
              label="Commentaire pour le conseiller (facultatif)"
              hintText={withLengthHint("N'indiquez ni infraction ni donnée de santé.", comment.length, 500)}
              textArea
              {...errors.state("comment")}
              nativeTextAreaProps={{
                ...errors.native("comment"),
                value: comment,
                onChange: (e) => setComment(e.target.value),
                maxLength: 500,
              }}
            />
            {detained ? (
              <Alert
                severity="info"
                small
                className="fr-mb-3w"
                description={`Personne détenue (${detention?.siteName ?? ""}) ${chosen ? "le jour du rendez-vous" : "aujourd'hui"} : aucun SMS ni courriel. La convocation passe par l'établissement (lettre remise à la personne, liste des mouvements).`}
              />
            ) : (
              <>
                {outOn && (
                  <Alert
                    severity="info"
                    small
                    className="fr-mb-3w"
                    description={`Sortie le ${formatDate(outOn)} : les messages choisis partiront le matin de la sortie, pas avant.`}
                  />
                )}
                <NotifyChoice
                  sms={sms}
                  email={email}
                  contact={person.data}
                  onChange={(v) => {
                    setSms(v.sms);
                    setEmail(v.email);
                  }}
                  errors={errors}
                />
              </>
            )}
            <MessagesPreview
              personId={personId}
              chosen={chosen}
              demarcheTypeIds={demarches}
              sms={sms}
              email={email}
              detained={detained}
            />
            <SlotSubmit
              id="booking-chosen"
              structureId={structureId ?? ""}
              chosen={chosen}
              lead="Convocation"
              pending={book.isPending}
              warning={
                halfDay.confirm && <HalfDayClashWarning halfDay={halfDay} action="Convoquer" at="submit" />
              }
            >
              {halfDay.confirm ? "Convoquer quand même" : "Convoquer"}
            </SlotSubmit>
          </form>
        </>
      )}
    </>
  );
}
