import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { accompanimentRoutes } from "../../../common/accompaniment/accompaniment.routes";
import {
  autonomyLabels,
  type DemarcheStatus,
  type DemarcheView,
  demarcheChangeSchema,
  demarcheStatusLabels,
  finalDemarcheStatuses,
  helpLevelLabels,
  type NewDemarche,
  needPriorityLabels,
  newDemarcheFormSchema,
} from "../../../common/accompaniment/accompaniment.schema";
import { needDomainLabels } from "../../../common/agenda/agenda.schema";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useMutation } from "../../api/useMutation";
import { formatDate, formatDuration, formatShortDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useFormErrors } from "../../components/form/useFormErrors";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { needsProgressText, providedText, withLengthHint } from "../../components/wording";
import { demarchesOfVisitDay, visitDemarchesHint } from "./demarchesOfVisitDay";
import { emptyDemarche, NewDemarchesForm } from "./NewDemarchesForm";
import { alreadyOpenText, openDemarcheOfType } from "./openDemarche";
import { closingHint, StatusSelect } from "./VisitDemarches";

export const demarcheSeverity: Record<DemarcheStatus, "info" | "success" | "error" | "warning" | "new"> = {
  todo: "new",
  in_progress: "info",
  waiting_documents: "warning",
  submitted: "info",
  granted: "success",
  rejected: "error",
  abandoned: "warning",
  reoriented: "new",
};

const updateLabels = { status: "Statut", outcome: "Résultat", nextStep: "Prochaine étape" } as const;

/** The id of a démarche's « Mettre à jour » button in the table. */
const updateOpenerId = (demarcheId: string): string => `demarche-open-${demarcheId}`;

/** The counselor follows a démarche between visits: new status, outcome, next step (above the table). */
function DemarcheUpdate({
  personId,
  demarche,
  onDone,
}: {
  personId: string;
  demarche: DemarcheView;
  /** Closed: with the confirmation to show once saved, null when cancelled. */
  onDone: (saved: string | null) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<DemarcheStatus>(demarche.status);
  const [outcome, setOutcome] = useState(demarche.outcome);
  const [nextStep, setNextStep] = useState(demarche.nextStep);
  const errors = useFormErrors(`demarche-update-${demarche.id}`, updateLabels);
  // Opened above the table, possibly far above the row's button (a phone): brought into view, the
  // focus on its first field, so that opening it visibly does something.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    form.scrollIntoView({ block: "start" });
    form.querySelector<HTMLElement>("select, input, textarea")?.focus({ preventScroll: true });
  }, []);
  // A closed démarche (granted, refused, abandoned, reoriented) has no next step: it is cleared.
  const closed = finalDemarcheStatuses.includes(status);
  const body = () => ({
    status,
    outcome,
    nextStep: closed ? "" : nextStep,
    dueDate: demarche.dueDate,
    documents: demarche.documents,
  });
  const save = useMutation({
    mutationFn: () =>
      call(accompanimentRoutes.updateDemarche, { params: { demarcheId: demarche.id }, body: body() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["accompaniment"] });
      // The file's summary lists the démarches in progress.
      await queryClient.invalidateQueries({ queryKey: ["people", personId] });
      onDone(`Démarche « ${demarche.label} » mise à jour : ${demarcheStatusLabels[status].toLowerCase()}.`);
    },
    onError: errors.showApiError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(demarcheChangeSchema, body())) save.mutate();
  };
  return (
    <form
      ref={formRef}
      onSubmit={submit}
      aria-label={`Mettre à jour : ${demarche.label}`}
      className="fr-mb-3w demarche-update"
      noValidate
    >
      {errors.summary}
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">Mettre à jour : {demarche.label}</legend>
        <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <StatusSelect
              label="Statut"
              from={demarche.status}
              hintText={closingHint(demarche.status, status)}
              value={status}
              onChange={setStatus}
              errors={errors}
            />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input
              label="Résultat"
              hintText={withLengthHint(undefined, outcome.length, 500)}
              {...errors.state("outcome")}
              nativeInputProps={{
                ...errors.native("outcome"),
                value: outcome,
                maxLength: 500,
                onChange: (e) => setOutcome(e.target.value),
              }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input
              label="Prochaine étape"
              hintText={
                closed
                  ? nextStep.trim() !== ""
                    ? "Aucune : la démarche est close (l'étape notée ne sera plus affichée)."
                    : "Aucune : la démarche est close."
                  : withLengthHint(undefined, nextStep.length, 300)
              }
              disabled={closed}
              {...errors.state("nextStep")}
              nativeInputProps={{
                ...errors.native("nextStep"),
                value: closed ? "" : nextStep,
                maxLength: 300,
                onChange: (e) => setNextStep(e.target.value),
              }}
            />
          </div>
        </div>
      </fieldset>
      <ul className="fr-btns-group fr-btns-group--inline-sm">
        <li>
          <Button type="submit" disabled={save.isPending}>
            {closed ? "Enregistrer et clore la démarche" : "Enregistrer"}
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={() => onDone(null)}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

const startLabels = {
  demarcheTypeId: "Démarche",
  helpLevel: "Niveau d'aide",
  status: "Statut",
  timeSpentMinutes: "Temps passé",
  nextStep: "Prochaine étape",
  dueDate: "À faire avant le",
} as const;

/** A démarche started between visits, from the catalogue. */
function StartDemarche({
  personId,
  demarches,
  onUpdate,
}: {
  personId: string;
  demarches: DemarcheView[];
  /** Opens the update form of a démarche already open (instead of starting a second one). */
  onUpdate: (demarcheId: string) => void;
}): ReactNode {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<NewDemarche[]>([emptyDemarche()]);
  // The new démarche's id, kept until it is saved: sending again after a lost answer is safe.
  const record = useRecordId(["accompaniment", personId]);
  const [saved, setSaved] = useState(false);
  const errors = useFormErrors("start-demarche", startLabels);
  const start = useMutation({
    mutationFn: () =>
      call(accompanimentRoutes.addDemarche, { params: { personId }, body: { ...draft[0]!, id: record.id } }),
    onSuccess: async () => {
      setDraft([emptyDemarche()]);
      record.saved();
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ["accompaniment", personId] });
      await queryClient.invalidateQueries({ queryKey: ["people", personId] });
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (errors.check(newDemarcheFormSchema, draft[0])) start.mutate();
  };
  // A démarche of this type already open: said before it is recorded twice, still allowed (a new
  // request after a refusal in progress, a second child…).
  const alreadyOpen = openDemarcheOfType(demarches, draft[0]?.demarcheTypeId ?? "");
  return (
    <Accordion label="Commencer une démarche" className="fr-mb-3w">
      <form onSubmit={submit} aria-label="Commencer une démarche" noValidate>
        {errors.summary}
        {saved && <SuccessNotice message="Démarche enregistrée." />}
        <NewDemarchesForm
          value={draft}
          onChange={(list) => setDraft(list.length > 0 ? list.slice(0, 1) : [emptyDemarche()])}
          single
          errors={errors}
        />
        {alreadyOpen && (
          <Alert
            severity="warning"
            small
            className="fr-mb-3w"
            description={
              <>
                {alreadyOpenText(alreadyOpen)}{" "}
                <Button
                  type="button"
                  priority="tertiary no outline"
                  size="small"
                  onClick={() => onUpdate(alreadyOpen.id)}
                >
                  Mettre à jour celle-ci
                </Button>
              </>
            }
          />
        )}
        <Button type="submit" disabled={start.isPending}>
          {alreadyOpen ? "Commencer quand même" : "Enregistrer la démarche"}
        </Button>
      </form>
    </Accordion>
  );
}

/** Needs, démarches and visits of a person, on their file. */
export function AccompanimentSection({ personId }: { personId: string }): ReactNode {
  const [editing, setEditing] = useState<string | null>(null);
  const [updated, setUpdated] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ["accompaniment", personId],
    queryFn: () => call(accompanimentRoutes.get, { params: { personId } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const { needs, demarches, visits, progress, permissions } = query.data;
  const open = needs.filter((n) => n.hasNeed);
  return (
    <>
      <h2>Besoins</h2>
      {/* Nothing assessed yet: one sentence says so, not two. */}
      {(needs.length > 0 || progress.opened > 0) && (
        <p className="fr-text--sm">{needsProgressText(progress)}</p>
      )}
      {needs.length === 0 ? (
        <p>Aucun besoin évalué pour l'instant : l'évaluation se fait lors de la visite.</p>
      ) : (
        <ScrollableTable
          stacked
          caption="Besoins de la personne (dernière évaluation)"
          headers={["Domaine", "Besoin", "Priorité", "Situation", "Évalué le"]}
          data={[...open, ...needs.filter((n) => !n.hasNeed)].map((n) => [
            needDomainLabels[n.domain],
            n.hasNeed ? "Oui" : "Non",
            n.priority ? needPriorityLabels[n.priority] : "—",
            [n.situation, n.comment].filter(Boolean).join(" — ") || "—",
            `${formatShortDateTime(n.assessedAt)}${n.assessedByName ? `, ${n.assessedByName}` : ""}`,
          ])}
        />
      )}
      <h2>Démarches</h2>
      {editing &&
        demarches
          .filter((d) => d.id === editing)
          .map((d) => (
            <DemarcheUpdate
              key={d.id}
              personId={personId}
              demarche={d}
              onDone={(saved) => {
                setUpdated(saved);
                setEditing(null);
                // Cancelled: the focus goes back to the row's button, not to the page's body (the
                // saved one goes to the confirmation).
                if (saved === null) document.getElementById(updateOpenerId(d.id))?.focus();
              }}
            />
          ))}
      {updated && !editing && <SuccessNotice message={updated} className="fr-mb-3w" />}
      {demarches.length === 0 ? (
        <p>Aucune démarche pour l'instant.</p>
      ) : (
        <ScrollableTable
          stacked
          caption="Démarches de la personne"
          headers={[
            "Démarche",
            "Aide",
            "Statut",
            "Suite",
            "Pièces",
            ...(permissions.record ? ["Suivi"] : []),
          ]}
          data={demarches.map((d) => [
            <span key="label">
              {d.label}
              <br />
              <span className="fr-text--xs">{d.partnerName ?? ""}</span>
            </span>,
            helpLevelLabels[d.helpLevel],
            <span key="status">
              <Badge severity={demarcheSeverity[d.status]} small noIcon>
                {demarcheStatusLabels[d.status]}
              </Badge>
              {d.outcome && (
                <>
                  <br />
                  <span className="fr-text--xs">{d.outcome}</span>
                </>
              )}
            </span>,
            // A closed démarche has no next step (an older one may still hold one).
            (finalDemarcheStatuses.includes(d.status)
              ? ""
              : [d.nextStep, d.dueDate ? `avant le ${formatDate(d.dueDate)}` : ""]
                  .filter(Boolean)
                  .join(", ")) || "—",
            d.documents.length === 0
              ? "—"
              : providedText(d.documents.filter((x) => x.provided).length, d.documents.length),
            ...(permissions.record
              ? [
                  // A closed démarche no longer changes (the server refuses it): nothing to update.
                  finalDemarcheStatuses.includes(d.status) ? (
                    <span key="update">
                      —<span className="fr-sr-only"> démarche close</span>
                    </span>
                  ) : (
                    <Button
                      key="update"
                      id={updateOpenerId(d.id)}
                      size="small"
                      priority="secondary"
                      className="pa-nowrap"
                      aria-expanded={editing === d.id}
                      onClick={() => {
                        setUpdated(null);
                        setEditing(d.id);
                      }}
                    >
                      Mettre à jour
                      <span className="fr-sr-only"> : {d.label}</span>
                    </Button>
                  ),
                ]
              : []),
          ])}
        />
      )}
      {permissions.record && (
        <StartDemarche
          personId={personId}
          demarches={demarches}
          onUpdate={(id) => {
            setUpdated(null);
            setEditing(id);
          }}
        />
      )}
      <h2>Visites</h2>
      {visits.length === 0 ? (
        <p>Aucune visite saisie.</p>
      ) : (
        <>
          <p className="fr-text--sm fr-mb-1w">{visitDemarchesHint}</p>
          <ScrollableTable
            stacked
            caption="Visites à la permanence"
            headers={[
              "Date",
              "Conseiller",
              "Durée",
              "Autonomie numérique",
              "Démarches ce jour-là",
              "Suite proposée au CPIP",
            ]}
            data={visits.map((v) => [
              formatShortDateTime(v.startedAt),
              v.counselorName ?? "—",
              <span key="duration" className="pa-nowrap">
                {formatDuration(v.durationMinutes)}
              </span>,
              autonomyLabels[v.autonomy],
              String(demarchesOfVisitDay(v, demarches)),
              v.suggestNextInDays
                ? `Reconvoquer sous ${v.suggestNextInDays} jours${v.suggestion ? ` : ${v.suggestion}` : ""}`
                : v.suggestion || "—",
            ])}
          />
        </>
      )}
    </>
  );
}
