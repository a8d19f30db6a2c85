import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useId, useMemo } from "react";
import { orientationsRoutes } from "../../../common/orientations/orientations.routes";
import {
  type OrientationStatus,
  type OrientationView,
  orientationStatusLabels,
  orientationTargetLabels,
} from "../../../common/orientations/orientations.schema";
import { ofName } from "../../../common/placeName";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { formatDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useModalOpener } from "../../components/modalOpener";
import { ScrollableTable } from "../../components/ScrollableTable";
import { SuccessNotice } from "../../components/SuccessNotice";
import { orientationCancellationText } from "./cancelWording";
import { NewOrientationForm } from "./NewOrientationForm";
import { responseDelay } from "./responseDelay";

export const orientationSeverity: Record<
  OrientationStatus,
  "info" | "success" | "error" | "warning" | "new"
> = {
  draft: "new",
  sent: "info",
  accepted: "success",
  refused: "error",
  expired: "warning",
  cancelled: "warning",
  completed: "success",
};

/** The "Réponse" cell: when it was sent and what came back, or that nothing has yet (never empty). */
function answerText(o: OrientationView): string {
  const text = [
    o.sentAt ? `Envoyée le ${formatDateTime(o.sentAt)}` : "",
    o.responseHours !== null ? `, réponse en ${responseDelay(o.responseHours)}` : "",
    o.refusalReason
      ? ` — ${o.refusalReason}${o.refusalReasonForPerson ? " (à dire à la personne)" : ""}`
      : "",
    o.outcome ? ` — Résultat : ${o.outcome}` : "",
  ].join("");
  return text || "Pas encore de réponse";
}

function Actions({ personId, o }: { personId: string; o: OrientationView }): ReactNode {
  const queryClient = useQueryClient();
  const move = useMutation({
    // `draft`: what it was when asked (its notice says so once the list is read again).
    mutationFn: ({ route }: { route: "send" | "cancel"; draft: boolean }) =>
      call(orientationsRoutes[route], { params: { orientationId: o.id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["orientations", personId] }),
  });
  // Cancelling cannot be undone and withdraws what the partner may already read: confirmed first.
  const baseId = useId().replace(/[^a-zA-Z0-9]/g, "");
  const confirmModal = useMemo(
    () => createModal({ id: `cancel-orientation-${baseId}`, isOpenedByDefault: false }),
    [baseId],
  );
  const openConfirm = useModalOpener(confirmModal);
  const to = o.partnerName ?? orientationTargetLabels[o.target];
  return (
    <>
      {o.permissions.send && !o.needsConsent && (
        <Button size="small" onClick={() => move.mutate({ route: "send", draft: true })} className="fr-mr-1w">
          Envoyer
        </Button>
      )}
      {o.permissions.send && o.needsConsent && (
        <p className="fr-text--sm fr-mb-1w">
          Envoi possible une fois que la personne aura consenti au partage avec cette organisation.{" "}
          <a href="#notes">Voir son consentement</a>
        </p>
      )}
      {o.permissions.cancel && (
        <>
          <Button
            size="small"
            priority="tertiary"
            onClick={openConfirm}
            nativeButtonProps={{ "aria-label": `Annuler l'orientation vers ${to}` }}
          >
            Annuler l'orientation
          </Button>
          <confirmModal.Component
            titleAs="h2"
            title={
              o.status === "draft" ? "Abandonner ce brouillon d'orientation ?" : "Annuler l'orientation ?"
            }
            buttons={[
              { children: "Ne pas annuler", priority: "secondary" },
              {
                children: "Annuler l'orientation",
                onClick: () => move.mutate({ route: "cancel", draft: o.status === "draft" }),
              },
            ]}
          >
            <p className="fr-mb-2w">
              Vers {to} : {o.reason}
            </p>
            <p>{orientationCancellationText(o)}</p>
          </confirmModal.Component>
        </>
      )}
      <ErrorAlert error={move.error} />
      {/* Its button gone with the new status: said, and the focus kept off the page's body. */}
      {move.isSuccess && (
        <SuccessNotice
          className="fr-mt-1w"
          message={
            move.variables.route === "send"
              ? `Orientation envoyée à ${to}.`
              : move.variables.draft
                ? "Brouillon abandonné."
                : "Orientation annulée."
          }
        />
      )}
    </>
  );
}

/** Referrals and escalations of a person, with the partners' answers. */
export function OrientationsSection({ personId }: { personId: string }): ReactNode {
  const query = useQuery({
    queryKey: ["orientations", personId],
    queryFn: () => call(orientationsRoutes.ofPerson, { params: { personId } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return null;
  const { orientations, permissions } = query.data;
  return (
    <>
      <h2>Orientations et sollicitations</h2>
      {orientations.length === 0 ? (
        <p>Aucune orientation.</p>
      ) : (
        <ScrollableTable
          stacked
          caption="Orientations de la personne"
          headers={["Vers", "Demande", "Statut", "Réponse", ...(permissions.create ? ["Actions"] : [])]}
          data={orientations.map((o) => [
            <span key="to">
              {o.partnerName ?? orientationTargetLabels[o.target]}
              {o.iaeKind ? ` (${o.iaeKind})` : ""}
              {o.contactName && (
                <>
                  <br />
                  <span className="fr-text--xs">À l'attention {ofName(o.contactName)}</span>
                </>
              )}
              {/* The kind of destination under the organisation's name; the mediation is named once. */}
              {o.partnerName && (
                <>
                  <br />
                  <span className="fr-text--xs">{orientationTargetLabels[o.target]}</span>
                </>
              )}
            </span>,
            <span key="reason" className="typed-text">
              {o.reason}
              {o.demarcheLabel && (
                <>
                  <br />
                  <span className="fr-text--xs">Démarche : {o.demarcheLabel}</span>
                </>
              )}
            </span>,
            <Badge key="status" small noIcon severity={orientationSeverity[o.status]}>
              {orientationStatusLabels[o.status]}
            </Badge>,
            <span key="answer" className="fr-text--xs">
              {answerText(o)}
            </span>,
            ...(permissions.create ? [<Actions key="actions" personId={personId} o={o} />] : []),
          ])}
        />
      )}
      {permissions.create && (
        <Accordion label="Orienter la personne ou solliciter un partenaire" className="fr-mb-3w">
          <NewOrientationForm personId={personId} />
        </Accordion>
      )}
    </>
  );
}
