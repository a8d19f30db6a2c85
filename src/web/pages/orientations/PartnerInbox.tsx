import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { needDomainList } from "../../../common/agenda/agenda.schema";
import { orientationsRoutes } from "../../../common/orientations/orientations.routes";
import {
  answerSchema,
  completeSchema,
  type InboxItem,
  orientationStatusLabels,
  orientationTargetLabels,
  REFUSAL_REASON_MIN,
} from "../../../common/orientations/orientations.schema";
import { ApiError, call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatDate, formatDateTime, formatPhone } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useStepFocus } from "../../components/useStepFocus";
import { withLengthHint } from "../../components/wording";
import { OrientationDocuments } from "../documents/OrientationDocuments";
import { answeredNotice } from "./cancelWording";
import { isOpen } from "./inboxSections";
import { orientationSeverity } from "./OrientationsSection";

const answerLabels = { reason: "Motif du refus", outcome: "Résultat" } as const;

/**
 * The inbox's last answer: the card it concerns says it and, once closed, takes the focus. `stale`:
 * the answer was refused because the orientation changed meanwhile; the card, drawn anew in its
 * current state (in whichever list), says so and takes the focus.
 */
interface Done {
  id: string;
  closed: boolean;
  notice: string | null;
  stale?: boolean;
}

/** Said in the card when an answer comes too late: answered by a colleague, cancelled, expired… */
export const STALE_ANSWER_NOTICE =
  "Votre réponse n'a pas été enregistrée : cette orientation a changé entre-temps (réponse d'un collègue ou dans un autre onglet, annulation par l'envoyeur, expiration). Elle est affichée dans son état actuel.";

const changedMeanwhile = (error: unknown): boolean =>
  error instanceof ApiError && error.body.code === "orientation.invalidTransition";

function Answer({ item, onDone }: { item: InboxItem; onDone: (done: Done) => void }): ReactNode {
  const queryClient = useQueryClient();
  // One step at a time: the two choices, then the acceptance to confirm or the refusal to explain.
  const [step, setStep] = useState<"choose" | "accept" | "refuse" | "complete">("choose");
  const [reason, setReason] = useState("");
  const [show, setShow] = useState(false);
  const [outcome, setOutcome] = useState("");
  const errors = useFormErrors(`answer-${item.id}`, answerLabels, {}, "La réponse n'a pas été enregistrée");
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["inbox"] });
  // Answered too late (the card showed an older state): the inbox is read again, the card shows
  // where the orientation stands now, instead of an error beside buttons that no longer apply.
  const failed = async (error: Error) => {
    if (!changedMeanwhile(error)) return errors.showApiError(error);
    await refresh();
    onDone({ id: item.id, closed: true, notice: STALE_ANSWER_NOTICE, stale: true });
  };
  const body = (decision: "accept" | "refuse") => ({ decision, reason, showReasonToPerson: show });
  // One request per answer (`useMutation` sends a call once): clicked twice, a second one went, and
  // its refusal (already answered) read as a late answer.
  // A refusal or an outcome moves the card to the closed list, where it is drawn anew: the inbox
  // then gives it the focus there (the buttons just used are gone).
  const answer = useMutation({
    mutationFn: (decision: "accept" | "refuse") =>
      call(orientationsRoutes.answer, { params: { orientationId: item.id }, body: body(decision) }),
    onMutate: () => errors.clear(),
    onSuccess: async (_, decision) => {
      await refresh();
      onDone({ id: item.id, closed: decision === "refuse", notice: answeredNotice(item.target, decision) });
    },
    onError: failed,
  });
  const complete = useMutation({
    mutationFn: () =>
      call(orientationsRoutes.complete, { params: { orientationId: item.id }, body: { outcome } }),
    onMutate: () => errors.clear(),
    onSuccess: async () => {
      await refresh();
      onDone({ id: item.id, closed: true, notice: "Résultat enregistré : l'orientation est clôturée." });
    },
    onError: failed,
  });
  const refuse = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(answerSchema, body("refuse"))) answer.mutate("refuse");
  };
  const report = (event: FormEvent) => {
    event.preventDefault();
    // The outcome closes the orientation for good: said, then confirmed.
    if (errors.check(completeSchema, { outcome })) setStep("complete");
  };
  const back = () => {
    errors.clear();
    setStep("choose");
  };
  // Without the person's consent to share with the receiver, it may only be refused (ADR 0020):
  // saying, for instance, that the consent is needed; once given, the identity shows and it may be accepted.
  const anonymous = item.person === null;
  // Each step replaces the buttons just used: the focus goes to the new step's first control, back
  // to the button that opened it (« Revenir au choix », Échap), not to the page's body. Not when the
  // inbox is first drawn.
  const stepFocus = useStepFocus(`${step} ${item.status}`, step !== "choose" ? back : undefined);
  return <div ref={stepFocus.box}>{answerStep()}</div>;

  function answerStep(): ReactNode {
    if (item.status === "sent" && step === "choose")
      return (
        <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-2w">
          {!anonymous && (
            <li>
              <Button size="small" onClick={stepFocus.opens(() => setStep("accept"))}>
                Accepter
              </Button>
            </li>
          )}
          <li>
            <Button size="small" priority="secondary" onClick={stepFocus.opens(() => setStep("refuse"))}>
              Refuser
            </Button>
          </li>
        </ul>
      );
    if (item.status === "sent" && step === "accept" && !anonymous)
      return (
        <div className="fr-alert fr-alert--info fr-mt-2w">
          <p className="fr-alert__title">Accepter cette orientation ?</p>
          <p>
            Votre organisation s'engage à traiter la demande ; l'envoyeur en est informé. Vous indiquerez
            ensuite le résultat. Une réponse donnée ne peut plus être changée.
          </p>
          {errors.summary}
          <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-2w">
            <li>
              <Button size="small" onClick={() => answer.mutate("accept")} disabled={answer.isPending}>
                Confirmer l'acceptation
              </Button>
            </li>
            <li>
              <Button size="small" priority="secondary" onClick={back}>
                Revenir au choix
              </Button>
            </li>
          </ul>
        </div>
      );
    if (item.status === "sent")
      return (
        <form onSubmit={refuse} noValidate aria-label="Refuser l'orientation" className="fr-mt-2w">
          {errors.summary}
          <Input
            label={answerLabels.reason}
            hintText={
              anonymous
                ? `Par exemple « Consentement de la personne au partage avec nous nécessaire » (${REFUSAL_REASON_MIN} caractères au moins).`
                : `Pourquoi votre organisation ne peut pas la traiter (${REFUSAL_REASON_MIN} caractères au moins).`
            }
            {...errors.state("reason")}
            nativeInputProps={{
              ...errors.native("reason"),
              value: reason,
              maxLength: 500,
              onChange: (e) => setReason(e.target.value),
            }}
          />
          <Checkbox
            small
            options={[
              {
                label: "La raison peut être dite à la personne",
                nativeInputProps: { checked: show, onChange: (e) => setShow(e.target.checked) },
              },
            ]}
          />
          <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-2w">
            <li>
              <Button size="small" type="submit" disabled={answer.isPending}>
                Confirmer le refus
              </Button>
            </li>
            <li>
              <Button size="small" priority="secondary" type="button" onClick={back}>
                Revenir au choix
              </Button>
            </li>
          </ul>
        </form>
      );
    if (item.status === "accepted" && step === "complete")
      return (
        <div className="fr-alert fr-alert--info fr-mt-2w">
          <p className="fr-alert__title">Clôturer l'orientation avec ce résultat ?</p>
          <p>
            « {outcome.trim()} » est transmis à l'envoyeur et l'orientation passe dans les clôturées : le
            résultat ne pourra plus être changé.
          </p>
          {errors.summary}
          <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-2w">
            <li>
              <Button size="small" onClick={() => complete.mutate()} disabled={complete.isPending}>
                Confirmer la clôture
              </Button>
            </li>
            <li>
              <Button size="small" priority="secondary" onClick={back}>
                Revenir au résultat
              </Button>
            </li>
          </ul>
        </div>
      );
    if (item.status === "accepted") {
      return (
        <form onSubmit={report} noValidate className="fr-mt-2w">
          {errors.summary}
          <Input
            label={answerLabels.outcome}
            hintText={withLengthHint(
              "À indiquer une fois la demande traitée : ce que votre organisation a fait et son issue, par exemple « Droits ouverts le 12 décembre » ou « Demande refusée : ressources au-dessus du plafond ». Ce résultat clôt l'orientation. Ni infraction ni donnée de santé.",
              outcome.length,
              1000,
            )}
            textArea
            {...errors.state("outcome")}
            nativeTextAreaProps={{
              ...errors.native("outcome"),
              value: outcome,
              maxLength: 1000,
              rows: 2,
              onChange: (e) => setOutcome(e.target.value),
            }}
          />
          <Button size="small" type="submit" disabled={complete.isPending}>
            Clôturer avec ce résultat
          </Button>
        </form>
      );
    }
    return null;
  }
}

function InboxCard({
  item: o,
  headingLevel,
  focused,
  notice,
  stale,
  onDone,
}: {
  item: InboxItem;
  headingLevel: "h3" | "h4";
  /** Just answered for good: the card takes the focus in its new place. */
  focused: boolean;
  /** "Réorientation acceptée.": said in the card just answered, where the focus is (not taken from it). */
  notice: string | null;
  /** The notice says that an answer came too late (a warning, not a success). */
  stale: boolean;
  onDone: (done: Done) => void;
}): ReactNode {
  const Heading = headingLevel;
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focused) card.current?.focus();
  }, [focused]);
  const who = o.person
    ? `${o.person.lastName.toUpperCase()} ${o.person.firstName}`
    : "Personne non communiquée";
  return (
    <article
      ref={card}
      className="fr-card fr-p-3w fr-mb-3w"
      aria-label={`Orientation : ${who}`}
      tabIndex={-1}
    >
      <Heading className="fr-h6 fr-mb-1w">
        {who}{" "}
        <Badge small noIcon severity={orientationSeverity[o.status]}>
          {orientationStatusLabels[o.status]}
        </Badge>
      </Heading>
      {o.person ? (
        <p className="fr-text--sm fr-mb-1w">
          Date de naissance : {formatDate(o.person.birthDate)} — dossier n°&nbsp;{o.person.fileNumber} de{" "}
          {o.structureName}
        </p>
      ) : (
        <p className="fr-text--sm fr-mb-1w">
          Sans consentement de la personne au partage avec vous (retiré, ou jamais donné) : son identité n'est
          pas communiquée.
          {o.status === "sent" &&
            " Vous pouvez seulement refuser, en indiquant par exemple que son consentement est nécessaire : l'envoyeur pourra le recueillir et vous l'adresser à nouveau."}
          {o.status === "accepted" &&
            " Indiquez le résultat de ce que vous avez déjà fait pour clôturer l'orientation, sans poursuivre la prise en charge."}
        </p>
      )}
      <p className="fr-text--sm fr-mb-1w">
        {orientationTargetLabels[o.target]} — de {o.structureName}, envoyée le {formatDateTime(o.sentAt)}
        {o.status === "sent" && <>, réponse attendue avant le {formatDateTime(o.expiresAt)}</>}
        {o.answeredAt && (
          <>
            , {o.status === "refused" ? "refusée" : "acceptée"} le {formatDateTime(o.answeredAt)}
          </>
        )}
        {o.completedAt && <>, terminée le {formatDateTime(o.completedAt)}</>}
      </p>
      <p className="fr-mb-1w">{o.reason}</p>
      {o.demarcheLabel && <p className="fr-text--sm fr-mb-1w">Démarche : {o.demarcheLabel}</p>}
      {o.sharedNeeds.length > 0 && (
        <p className="fr-text--sm fr-mb-1w">Besoins partagés : {needDomainList(o.sharedNeeds)}</p>
      )}
      {o.person && (o.person.phone || o.person.email) && (
        <p className="fr-text--sm fr-mb-1w">
          Contact :{" "}
          {[o.person.phone && formatPhone(o.person.phone), o.person.email].filter(Boolean).join(", ")}
        </p>
      )}
      {o.person && o.documentCount > 0 && <OrientationDocuments orientationId={o.id} />}
      {o.refusalReason && (
        <p className="fr-text--sm fr-mb-1w">
          {answerLabels.reason} : {o.refusalReason}
          {o.refusalReasonForPerson ? " (peut être communiqué à la personne)" : " (réservé au service)"}
        </p>
      )}
      {o.outcome && <p className="fr-text--sm">Résultat : {o.outcome}</p>}
      {notice && stale && (
        <Alert severity="warning" small closable={false} description={notice} className="fr-mt-2w" />
      )}
      {notice && !stale && <SuccessNotice message={notice} focus={false} className="fr-mt-2w" />}
      {isOpen(o) && <Answer item={o} onDone={onDone} />}
    </article>
  );
}

export interface InboxWording {
  /** The section's title; null: the page's own h1 says it (the headings below are then h2). */
  title: string | null;
  open: string;
  closed: string;
  noneOpen: string;
  noneClosed: string;
}

const partnerWording: InboxWording = {
  title: "Orientations adressées à votre organisation",
  open: "En cours",
  closed: "Clôturées",
  noneOpen: "Aucune orientation en cours.",
  noneClosed: "Aucune orientation clôturée.",
};

/**
 * The receiving side's inbox: what was addressed to the partner referent's organisation (on their
 * home), or to the association's mediation (its own page), and the answers given.
 */
export function PartnerInbox({ wording = partnerWording }: { wording?: InboxWording }): ReactNode {
  const query = useQuery({ queryKey: ["inbox"], queryFn: () => call(orientationsRoutes.inbox) });
  const [done, setDone] = useState<Done | null>(null);
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const open = query.data.orientations.filter(isOpen);
  const closed = query.data.orientations.filter((o) => !isOpen(o));
  const Section = wording.title ? "h3" : "h2";
  const card = wording.title ? "h4" : "h3";
  return (
    <section className="fr-mb-6w">
      {wording.title && <h2>{wording.title}</h2>}
      <Section>
        {wording.open} ({open.length})
      </Section>
      {open.length === 0 && <p>{wording.noneOpen}</p>}
      {open.map((o) => (
        <InboxCard
          key={o.id}
          item={o}
          headingLevel={card}
          focused={done?.stale === true && done.id === o.id}
          notice={done?.id === o.id ? done.notice : null}
          stale={done?.stale === true}
          onDone={setDone}
        />
      ))}
      <Section>
        {wording.closed} ({closed.length})
      </Section>
      {closed.length === 0 && <p>{wording.noneClosed}</p>}
      {closed.map((o) => (
        <InboxCard
          key={o.id}
          item={o}
          headingLevel={card}
          focused={done?.closed === true && done.id === o.id}
          notice={done?.id === o.id ? done.notice : null}
          stale={done?.stale === true}
          onDone={setDone}
        />
      ))}
    </section>
  );
}

/**
 * The mediator's home: how many reorientations wait for an answer (and the nearest deadline), how
 * many accepted ones wait for their outcome; the inbox itself is on the "Médiation" page.
 */
export function InboxSummary(): ReactNode {
  const query = useQuery({ queryKey: ["inbox"], queryFn: () => call(orientationsRoutes.inbox) });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const open = query.data.orientations.filter(isOpen);
  const toAnswer = open.filter((o) => o.status === "sent");
  const toReport = open.filter((o) => o.status === "accepted");
  const nearest = toAnswer.map((o) => o.expiresAt).sort()[0];
  if (open.length === 0) return <p>Aucune réorientation à traiter pour l'instant.</p>;
  return (
    <ul>
      {toAnswer.length > 0 && (
        <li>
          {toAnswer.length === 1
            ? "1 réorientation attend votre réponse"
            : `${toAnswer.length} réorientations attendent votre réponse`}
          {nearest &&
            (toAnswer.length === 1
              ? `, avant le ${formatDateTime(nearest)}`
              : `, la première avant le ${formatDateTime(nearest)}`)}
        </li>
      )}
      {toReport.length > 0 && (
        <li>
          {toReport.length === 1
            ? "1 réorientation acceptée attend son résultat"
            : `${toReport.length} réorientations acceptées attendent leur résultat`}
        </li>
      )}
    </ul>
  );
}
