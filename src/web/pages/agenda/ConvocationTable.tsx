import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { agendaRoutes } from "../../../common/agenda/agenda.routes";
import {
  type ConvocationStatus,
  type ConvocationView,
  convocationStatusLabels,
  needDomainLabels,
} from "../../../common/agenda/agenda.schema";
import { fillPath } from "../../../common/contract";
import { call } from "../../api/client";
import { formatAppointment, formatShortDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";

/** The printable letter, opened in a new tab (the session cookie goes with it). */
export const letterUrl = (convocationId: string): string =>
  fillPath(agendaRoutes.letter.path, { convocationId });

const severity: Record<ConvocationStatus, "info" | "success" | "error" | "warning" | "new"> = {
  planned: "info",
  honoured: "success",
  missed: "error",
  excused: "warning",
  cancelled: "warning",
};

/** One-click statuses: attendance once the appointment started, cancellations before. */
function StatusActions({ convocation }: { convocation: ConvocationView }): ReactNode {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (status: Exclude<ConvocationStatus, "planned">) =>
      call(agendaRoutes.setStatus, { params: { convocationId: convocation.id }, body: { status } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["convocations"] }),
  });
  if (!convocation.permissions.setStatus) return null;
  const started = new Date(convocation.startsAt) <= new Date();
  const label = `${convocation.personName}, ${formatAppointment(convocation.startsAt)}`;
  return (
    <div>
      <ErrorAlert error={change.error} />
      <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        {started && (
          <>
            <li>
              <Button size="small" title={`Honorée : ${label}`} onClick={() => change.mutate("honoured")}>
                Honorée
              </Button>
            </li>
            <li>
              <Button
                size="small"
                priority="secondary"
                title={`Absence : ${label}`}
                onClick={() => change.mutate("missed")}
              >
                Absence
              </Button>
            </li>
          </>
        )}
        <li>
          <Button
            size="small"
            priority="tertiary"
            title={`Annulée par la personne : ${label}`}
            onClick={() => change.mutate("excused")}
          >
            Annulée par la personne
          </Button>
        </li>
        <li>
          <Button
            size="small"
            priority="tertiary"
            title={`Annulée par le service : ${label}`}
            onClick={() => change.mutate("cancelled")}
          >
            Annulée par le service
          </Button>
        </li>
      </ul>
    </div>
  );
}

export function ConvocationTable({
  convocations,
  emptyText,
  caption,
}: {
  convocations: ConvocationView[];
  emptyText: string;
  caption: string;
}): ReactNode {
  if (convocations.length === 0) return <p>{emptyText}</p>;
  return (
    <ScrollableTable
      caption={caption}
      headers={["Rendez-vous", "Personne", "Lieu", "Motifs", "Statut", "Actions"]}
      data={convocations.map((c) => [
        formatShortDateTime(c.startsAt),
        <Link key="p" to={`/personnes/${c.personId}`}>
          {c.personName}
        </Link>,
        c.siteName,
        c.needDomains.map((d) => needDomainLabels[d]).join(", "),
        <Badge key="s" severity={severity[c.status]} small>
          {c.toFillIn ? "À renseigner" : convocationStatusLabels[c.status]}
        </Badge>,
        <div key="a">
          <a className="fr-link fr-link--sm" href={letterUrl(c.id)} target="_blank" rel="noopener">
            Lettre (PDF)
          </a>
          {c.permissions.recordVisit && (
            <Link
              className="fr-link fr-link--sm fr-ml-2w"
              to={`/personnes/${c.personId}/convocations/${c.id}/visite`}
            >
              Saisir la visite
            </Link>
          )}
          {c.permissions.reschedule && (
            <Link
              className="fr-link fr-link--sm fr-ml-2w"
              to={`/personnes/${c.personId}/convocations/${c.id}/reporter`}
            >
              Reporter
            </Link>
          )}
          <StatusActions convocation={c} />
        </div>,
      ])}
    />
  );
}
