import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { accompanimentRoutes } from "../../../common/accompaniment/accompaniment.routes";
import {
  autonomyLabels,
  type DemarcheStatus,
  type DemarcheView,
  demarcheStatuses,
  demarcheStatusLabels,
  helpLevelLabels,
  type NewDemarche,
  needPriorityLabels,
} from "../../../common/accompaniment/accompaniment.schema";
import { needDomainLabels } from "../../../common/agenda/agenda.schema";
import { call } from "../../api/client";
import { formatDate, formatShortDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { emptyDemarche, NewDemarchesForm } from "./VisitDemarches";

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

/** The counselor follows a démarche between visits: new status, outcome, next step. */
function DemarcheUpdate({ demarche }: { demarche: DemarcheView }): ReactNode {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<DemarcheStatus>(demarche.status);
  const [outcome, setOutcome] = useState(demarche.outcome);
  const [nextStep, setNextStep] = useState(demarche.nextStep);
  const save = useMutation({
    mutationFn: () =>
      call(accompanimentRoutes.updateDemarche, {
        params: { demarcheId: demarche.id },
        body: { status, outcome, nextStep, dueDate: demarche.dueDate, documents: demarche.documents },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["accompaniment"] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <details>
      <summary className="fr-text--sm">Mettre à jour</summary>
      <form onSubmit={submit} aria-label={`Mettre à jour : ${demarche.label}`}>
        <Select
          label="Statut"
          nativeSelectProps={{ value: status, onChange: (e) => setStatus(e.target.value as DemarcheStatus) }}
        >
          {demarcheStatuses.map((s) => (
            <option key={s} value={s}>
              {demarcheStatusLabels[s]}
            </option>
          ))}
        </Select>
        <Input
          label="Résultat"
          nativeInputProps={{ value: outcome, onChange: (e) => setOutcome(e.target.value) }}
        />
        <Input
          label="Prochaine étape"
          nativeInputProps={{ value: nextStep, onChange: (e) => setNextStep(e.target.value) }}
        />
        <ErrorAlert error={save.error} />
        <Button type="submit" size="small" disabled={save.isPending}>
          Enregistrer
        </Button>
      </form>
    </details>
  );
}

/** A démarche started between visits, from the catalogue. */
function StartDemarche({ personId }: { personId: string }): ReactNode {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<NewDemarche[]>([emptyDemarche()]);
  const start = useMutation({
    mutationFn: () => call(accompanimentRoutes.addDemarche, { params: { personId }, body: draft[0] }),
    onSuccess: async () => {
      setDraft([emptyDemarche()]);
      await queryClient.invalidateQueries({ queryKey: ["accompaniment", personId] });
    },
  });
  return (
    <details className="fr-mb-3w">
      <summary>Commencer une démarche</summary>
      <NewDemarchesForm
        value={draft}
        onChange={(list) => setDraft(list.length > 0 ? list.slice(0, 1) : [emptyDemarche()])}
        single
      />
      <ErrorAlert error={start.error} title="Démarche non enregistrée" />
      <Button onClick={() => start.mutate()} disabled={start.isPending}>
        Enregistrer la démarche
      </Button>
    </details>
  );
}

/** Needs, démarches and visits of a person, on their file. */
export function AccompanimentSection({ personId }: { personId: string }): ReactNode {
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
      <p className="fr-text--sm">
        {progress.opened} besoin(s) repéré(s) depuis le début, {progress.resolved} résolu(s), {progress.open}{" "}
        en cours.
      </p>
      {needs.length === 0 ? (
        <p>Aucun besoin évalué pour l'instant : l'évaluation se fait lors de la visite.</p>
      ) : (
        <ScrollableTable
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
      {demarches.length === 0 ? (
        <p>Aucune démarche pour l'instant.</p>
      ) : (
        <ScrollableTable
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
            [d.nextStep, d.dueDate ? `avant le ${formatDate(d.dueDate)}` : ""].filter(Boolean).join(", ") ||
              "—",
            d.documents.length === 0
              ? "—"
              : `${d.documents.filter((x) => x.provided).length} / ${d.documents.length} fournie(s)`,
            ...(permissions.record ? [<DemarcheUpdate key="update" demarche={d} />] : []),
          ])}
        />
      )}
      {permissions.record && <StartDemarche personId={personId} />}
      <h2>Visites</h2>
      {visits.length === 0 ? (
        <p>Aucune visite saisie.</p>
      ) : (
        <ScrollableTable
          caption="Visites à la permanence"
          headers={[
            "Date",
            "Conseiller",
            "Durée",
            "Autonomie numérique",
            "Démarches",
            "Suite proposée au CPIP",
          ]}
          data={visits.map((v) => [
            formatShortDateTime(v.startedAt),
            v.counselorName ?? "—",
            `${v.durationMinutes} min`,
            autonomyLabels[v.autonomy],
            String(v.demarchesTouched),
            v.suggestNextInDays
              ? `Reconvoquer sous ${v.suggestNextInDays} jours${v.suggestion ? ` : ${v.suggestion}` : ""}`
              : v.suggestion || "—",
          ])}
        />
      )}
    </>
  );
}
