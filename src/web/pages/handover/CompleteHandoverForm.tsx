import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { completeHandoverBodySchema, type HandoverView } from "../../../common/handover/handover.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatDate, formatDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { useStepFocus } from "../../components/useStepFocus";
import { isSameHalfDayRefusal } from "../agenda/HalfDayClash";
import { CancelHandoverAction } from "./CancelHandoverAction";
import { RescheduleHandoverForm } from "./RescheduleHandoverForm";

const labels = {
  minutes: "Compte rendu",
  decisions: "Décisions",
  personPresent: "Présence de la personne",
  consentGiven: "Consentement de la personne",
  consentReference: "Comment le consentement a été recueilli",
  targetReferentUserId: "CPIP référent en milieu ouvert",
  firstConvocation: "Première convocation",
  "firstConvocation.notifySms": "Prévenir la personne par SMS",
} as const;

type Step = "idle" | "move";

/**
 * The meeting's end: minutes, decisions, the person's consent, the milieu ouvert referent and the
 * first convocation (a free slot in the days after release). Submitting passes the file. Before the
 * meeting has begun the form is not offered (the server refuses it too: `handover.notHeldYet`).
 * Until then it may be moved or cancelled; what was done is said by the page (`onNotice`), which
 * keeps saying it once the meeting, held or cancelled, no longer offers this form.
 */
export function CompleteHandoverForm({
  meeting,
  personId,
  sites,
  onNotice,
}: {
  meeting: HandoverView;
  personId: string;
  sites: { id: string; name: string }[];
  onNotice: (message: string) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const started = new Date(meeting.startsAt).getTime() <= Date.now();
  const slots = useQuery({
    queryKey: ["handover", "slots", meeting.id],
    queryFn: () => call(handoverRoutes.slots, { params: { handoverId: meeting.id } }),
    enabled: started,
  });
  const [minutes, setMinutes] = useState("");
  const [decisions, setDecisions] = useState("");
  const [present, setPresent] = useState<"" | "yes" | "no">("");
  const [consent, setConsent] = useState(false);
  const [consentReference, setConsentReference] = useState("");
  const [referent, setReferent] = useState("");
  const [slot, setSlot] = useState("");
  const [sms, setSms] = useState<"" | "yes" | "no">("");
  const [step, setStep] = useState<Step>("idle");
  // The server's refusal of a second convocation that half-day (the person's other one named): said
  // under the slot, and the button then confirms it (as on the booking pages). For this slot only.
  const [clash, setClash] = useState<{ slot: string; message: string } | null>(null);
  const confirming = clash !== null && clash.slot === slot;
  const clashBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (clash) clashBox.current?.focus();
  }, [clash]);
  // The buttons give way to the question or the form, and back: the focus follows.
  const stepFocus = useStepFocus(step, step === "idle" ? undefined : () => setStep("idle"));
  const errors = useFormErrors(`cloture-${meeting.id}`, labels);
  const chosen = slots.data?.slots.find((s) => `${s.siteId}|${s.startsAt}` === slot);
  const body = () => ({
    minutes,
    decisions,
    personPresent: present === "" ? undefined : present === "yes",
    consentGiven: consent,
    consentReference,
    targetReferentUserId: referent,
    firstConvocation: {
      siteId: chosen?.siteId ?? "",
      startsAt: chosen?.startsAt ?? "",
      notifySms: sms === "" ? undefined : sms === "yes",
      notifyEmail: false,
      confirmSameHalfDay: confirming,
    },
  });
  const complete = useMutation({
    mutationFn: () =>
      call(handoverRoutes.complete, {
        params: { handoverId: meeting.id },
        body: body() as Parameters<typeof completeHandoverBodySchema.parse>[0],
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["handover", personId] });
      onNotice(
        "Dossier transmis : il est confié au référent du milieu ouvert et la première convocation est prise.",
      );
    },
    onError: (error) => {
      if (isSameHalfDayRefusal(error)) {
        setClash({ slot, message: error.body.message });
        return;
      }
      errors.showApiError(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(completeHandoverBodySchema, body())) complete.mutate();
  };
  return (
    <>
      {!started ? (
        <Alert
          severity="info"
          small
          className="fr-mt-3w"
          description={`La réunion n'a pas encore eu lieu : le compte rendu et la transmission du dossier se saisissent une fois la réunion commencée (${formatDateTime(meeting.startsAt)}).`}
        />
      ) : (
        <form
          onSubmit={submit}
          noValidate
          aria-labelledby={`cloture-titre-${meeting.id}`}
          className="fr-mt-3w"
        >
          <h3 id={`cloture-titre-${meeting.id}`}>Clore la réunion et transmettre le dossier</h3>
          {errors.summary}
          <Input
            label="Compte rendu"
            textArea
            {...errors.state("minutes")}
            nativeTextAreaProps={{
              ...errors.native("minutes"),
              rows: 5,
              value: minutes,
              onChange: (e) => setMinutes(e.target.value),
            }}
          />
          <Input
            label="Décisions"
            textArea
            {...errors.state("decisions")}
            nativeTextAreaProps={{
              ...errors.native("decisions"),
              rows: 3,
              value: decisions,
              onChange: (e) => setDecisions(e.target.value),
            }}
          />
          <RadioButtons
            legend="Présence de la personne"
            id={errors.native("personPresent").id}
            {...errors.state("personPresent")}
            hintText="Le passage de relais se fait en principe en sa présence : indiquez si elle a assisté à la réunion."
            orientation="horizontal"
            options={[
              {
                label: "Présente à la réunion",
                nativeInputProps: { checked: present === "yes", onChange: () => setPresent("yes") },
              },
              {
                label: "Absente",
                nativeInputProps: { checked: present === "no", onChange: () => setPresent("no") },
              },
            ]}
          />
          <Checkbox
            legend="Consentement de la personne"
            id={errors.native("consentGiven").id}
            {...errors.state("consentGiven")}
            options={[
              {
                label:
                  "La personne consent au passage de relais : ses besoins, démarches, orientations et notes partagées suivent son dossier.",
                nativeInputProps: { checked: consent, onChange: (e) => setConsent(e.target.checked) },
              },
            ]}
          />
          <Input
            label="Comment le consentement a été recueilli"
            hintText="Par exemple : accord écrit signé en réunion."
            {...errors.state("consentReference")}
            nativeInputProps={{
              ...errors.native("consentReference"),
              value: consentReference,
              onChange: (e) => setConsentReference(e.target.value),
            }}
          />
          <ErrorAlert error={slots.error} />
          <Select
            label="CPIP référent en milieu ouvert"
            {...errors.state("targetReferentUserId")}
            nativeSelectProps={{
              ...errors.native("targetReferentUserId"),
              value: referent,
              onChange: (e) => setReferent(e.target.value),
            }}
          >
            <option value="">Choisir un CPIP</option>
            {slots.data?.referents.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
          <Select
            label="Première convocation en milieu ouvert"
            hint={`Un créneau libre entre le ${formatDate(meeting.releaseDate)} et le ${formatDate(meeting.windowEnd)}.`}
            {...errors.state("firstConvocation")}
            nativeSelectProps={{
              ...errors.native("firstConvocation"),
              value: slot,
              onChange: (e) => setSlot(e.target.value),
            }}
          >
            <option value="">
              {slots.data?.slots.length === 0
                ? "Aucun créneau libre dans cette période"
                : "Choisir un créneau"}
            </option>
            {slots.data?.slots.map((s) => (
              <option key={`${s.siteId}|${s.startsAt}`} value={`${s.siteId}|${s.startsAt}`}>
                {formatDateTime(s.startsAt)} — {s.siteName}
              </option>
            ))}
          </Select>
          {/* Refused on submit: the focus comes here, under the slot, which the warning is about. */}
          <div ref={clashBox} tabIndex={-1}>
            {confirming && (
              <Alert
                severity="warning"
                small
                className="fr-mb-3w"
                description={`${clash.message} Pour confirmer, cliquez sur « Transmettre le dossier quand même » ; sinon choisissez un autre créneau.`}
              />
            )}
          </div>
          <RadioButtons
            legend="Prévenir la personne par SMS"
            id={errors.native("firstConvocation.notifySms").id}
            {...errors.state("firstConvocation.notifySms")}
            hintText="Le SMS ne part pas avant le jour de la sortie."
            orientation="horizontal"
            options={[
              { label: "Oui", nativeInputProps: { checked: sms === "yes", onChange: () => setSms("yes") } },
              {
                label: "Non (lettre remise en réunion)",
                nativeInputProps: { checked: sms === "no", onChange: () => setSms("no") },
              },
            ]}
          />
          <Button type="submit" disabled={complete.isPending}>
            {confirming ? "Transmettre le dossier quand même" : "Transmettre le dossier"}
          </Button>
        </form>
      )}
      <div className="fr-mt-3w" ref={stepFocus.box}>
        {step === "idle" && (
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button priority="secondary" onClick={stepFocus.opens(() => setStep("move"))}>
                Déplacer la réunion
              </Button>
            </li>
            <li>
              <CancelHandoverAction
                meeting={meeting}
                personId={personId}
                onDone={() =>
                  onNotice("Réunion annulée : les participants reçoivent l'annulation et son motif.")
                }
              />
            </li>
          </ul>
        )}
        {step === "move" && (
          <RescheduleHandoverForm
            meeting={meeting}
            personId={personId}
            sites={sites}
            onClose={() => setStep("idle")}
            onDone={() => {
              // The page's notice takes the focus (not the « Déplacer la réunion » button again).
              stepFocus.quiet();
              setStep("idle");
              onNotice("Réunion déplacée : les participants reçoivent la mise à jour de l'invitation.");
            }}
          />
        )}
      </div>
    </>
  );
}
