import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { demarcheStatusLabels } from "../../../common/accompaniment/accompaniment.schema";
import { detentionRoutes } from "../../../common/detention/detention.routes";
import { type ReleasePlanItem, releaseKindLabels } from "../../../common/detention/detention.schema";
import type { PersonFile } from "../../../common/people/people.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatLongDate, formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { dueDateOf, isLate, releasePlanSummary } from "./releasePlan";

const stateBadge: Record<ReleasePlanItem["state"], ReactNode> = {
  open: (
    <Badge severity="warning" small noIcon>
      À faire
    </Badge>
  ),
  in_progress: (
    <Badge severity="info" small noIcon>
      En cours
    </Badge>
  ),
  done: (
    <Badge severity="success" small noIcon>
      Fait
    </Badge>
  ),
};

/** The "préparer la sortie" plan: shown from the structure's delay before the expected release. */
function ReleasePlanSection({ personId }: { personId: string }): ReactNode {
  const queryClient = useQueryClient();
  const plan = useQuery({
    queryKey: ["release-plan", personId],
    queryFn: () => call(detentionRoutes.releasePlan, { params: { personId } }),
  });
  const start = useMutation({
    mutationFn: (code: string) =>
      call(detentionRoutes.startPlanItem, { params: { personId }, body: { code } }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (plan.error) return <ErrorAlert error={plan.error} />;
  if (!plan.data) return null;
  const p = plan.data;
  if (!p.active) {
    return p.showsFrom ? (
      <p className="fr-text--sm">
        Le plan « préparer la sortie » s'affichera à partir du {formatLongDate(p.showsFrom)}.
      </p>
    ) : null;
  }
  const today = p.today;
  return (
    <div className="fr-mt-2w">
      <h3 id="plan-sortie-title">Préparer la sortie</h3>
      <p>{releasePlanSummary(p.items, p.daysLeft, today)}</p>
      <ErrorAlert error={start.error} />
      <ScrollableTable
        stacked
        caption="Plan de sortie"
        noCaption
        headers={["Démarche", "Besoin identifié", "À faire avant le", "État", "Action"]}
        data={p.items.map((item) => [
          item.label,
          item.needed ? "Oui" : "—",
          formatShortDate(dueDateOf(item)),
          <span key="state">
            {stateBadge[item.state]}
            {isLate(item, today) && (
              <>
                {" "}
                <Badge severity="error" small noIcon>
                  En retard
                </Badge>
              </>
            )}
            {item.demarche && item.state !== "open" && (
              <span className="fr-text--xs"> {demarcheStatusLabels[item.demarche.status]}</span>
            )}
          </span>,
          item.state === "open" && p.mayStart && item.demarcheTypeId ? (
            <Button
              key="start"
              size="small"
              priority="secondary"
              disabled={start.isPending}
              onClick={() => start.mutate(item.code)}
              nativeButtonProps={{ "aria-label": `Créer la démarche : ${item.label}` }}
            >
              Créer la démarche
            </Button>
          ) : (
            "—"
          ),
        ])}
      />
    </div>
  );
}

/** Milieu fermé: the establishment and release (the prison number for the SPIP side only). */
export function DetentionSection({ file }: { file: PersonFile }): ReactNode {
  const d = file.detention;
  if (!d) return null;
  return (
    <section id="detention" aria-labelledby="detention-title" className="fr-mb-4w">
      <h2 id="detention-title">Détention</h2>
      <ul>
        <li>Établissement : {d.siteName}</li>
        {file.view === "full" && <li>Numéro d'écrou : {file.prisonNumber || "non renseigné"}</li>}
        <li>
          Libération prévue :{" "}
          {d.expectedReleaseDate ? formatLongDate(d.expectedReleaseDate) : "non renseignée"}
          {d.releaseKind && ` (${releaseKindLabels[d.releaseKind]})`}
        </li>
        {d.releasedOn && <li>Libération effective : {formatLongDate(d.releasedOn)}</li>}
        <li>Pas de SMS ni de courriel : les convocations passent par l'établissement (lettre remise).</li>
      </ul>
      {!d.releasedOn && <ReleasePlanSection personId={file.id} />}
    </section>
  );
}
