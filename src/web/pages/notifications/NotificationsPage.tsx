import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Tabs } from "@codegouvfr/react-dsfr/Tabs";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { notificationsRoutes } from "../../../common/notifications/notifications.routes";
import {
  type LoggedKind,
  type NotificationStatus,
  type NotificationView,
  notificationStatuses,
  notificationStatusLabels,
} from "../../../common/notifications/notifications.schema";
import {
  type NotificationChannel,
  notificationChannelLabels,
  notificationChannels,
  notificationKindLabels,
} from "../../../common/notifications/templates";
import { call } from "../../api/client";
import { useSession } from "../../api/session";
import { formatAppointment, formatDateTime, formatPhone, formatShortDateTime } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { FilterSelect } from "../../components/FilterSelect";
import { usePageTitle } from "../../components/pageTitle";
import { ScrollableTable } from "../../components/ScrollableTable";
import { useAddressFilters } from "../../components/useAddressFilters";
import { failureSummary, uncertainDetail, uncertainExplanation } from "./failureSummary";
import { NotificationSettingsForm } from "./NotificationSettingsForm";
import { TemplatesEditor } from "./TemplatesEditor";

const agentKindLabels: Record<Exclude<LoggedKind, keyof typeof notificationKindLabels>, string> = {
  failure_alert: "Alerte à la direction",
  orientation_sent: "Orientation transmise à un partenaire",
  account_notice: "Message à un agent sur son compte",
  invitation: "Invitation (réunion, action collective)",
  newsletter: "Lettre d'information aux partenaires",
  agent_alert: "Alerte à un agent (échéance)",
};
const kindLabel = (kind: LoggedKind): string =>
  kind in agentKindLabels
    ? agentKindLabels[kind as keyof typeof agentKindLabels]
    : notificationKindLabels[kind as keyof typeof notificationKindLabels];

const severity: Record<NotificationStatus, "info" | "success" | "error" | "warning" | "new"> = {
  pending: "new",
  sending: "new",
  sent: "info",
  delivered: "success",
  failed: "error",
  skipped: "warning",
  uncertain: "warning",
  logged: "warning",
};

function StatusBadge({ n }: { n: NotificationView }): ReactNode {
  return (
    <Badge severity={severity[n.status]} small noIcon>
      {notificationStatusLabels[n.status]}
    </Badge>
  );
}

function Detail({ n }: { n: NotificationView }): ReactNode {
  return (
    <span className="fr-text--xs">
      {n.deliveredAt
        ? `Reçu le ${formatDateTime(n.deliveredAt)}`
        : n.sentAt && n.status === "logged"
          ? `Écrit dans le journal du serveur le ${formatDateTime(n.sentAt)}, sans envoi`
          : n.sentAt
            ? `Envoyé le ${formatDateTime(n.sentAt)}`
            : n.status === "pending"
              ? `Départ prévu le ${formatDateTime(n.notBefore)}`
              : n.status === "uncertain"
                ? uncertainDetail(n)
                : ""}
      {n.lastError && (
        <>
          {n.sentAt || n.deliveredAt || n.status === "uncertain" ? <br /> : null}
          {n.lastError}
        </>
      )}
      {n.attempts > 1 ? ` (${n.attempts} essais)` : ""}
    </span>
  );
}

function NotificationLog({ structureId }: { structureId: string }): ReactNode {
  // In the address (`?statut=failed&canal=sms`): a reload or a link shows the same messages.
  const filters = useAddressFilters();
  const status = filters.choice("statut", notificationStatuses);
  const channel = filters.choice("canal", notificationChannels);
  const setStatus = (value: NotificationStatus | "") => filters.set({ statut: value });
  const setChannel = (value: NotificationChannel | "") => filters.set({ canal: value });
  const query = useQuery({
    queryKey: ["notifications", structureId, status, channel],
    queryFn: () =>
      call(notificationsRoutes.log, {
        params: { structureId },
        query: { status: status || undefined, channel: channel || undefined },
      }),
  });
  const rows = query.data?.notifications ?? [];
  // The people under supervision's messages apart from the agents' and partners' mail.
  const personal = rows.filter((n) => !(n.kind in agentKindLabels));
  const others = rows.filter((n) => n.kind in agentKindLabels);
  return (
    <>
      {query.data && query.data.failedLast7Days + query.data.uncertainLast7Days > 0 && (
        <Alert
          severity="warning"
          className="fr-mb-3w"
          title={`Messages de convocation ces 7 derniers jours : ${failureSummary(query.data.failedLast7Days, query.data.uncertainLast7Days)}`}
          description={`Les personnes concernées n'ont peut-être pas été prévenues : remettez-leur la lettre de convocation ou appelez-les.${query.data.uncertainLast7Days > 0 ? ` ${uncertainExplanation}` : ""}`}
        />
      )}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-3">
          <FilterSelect
            label="Statut"
            value={status}
            values={notificationStatuses}
            labels={notificationStatusLabels}
            onChange={setStatus}
          />
        </div>
        <div className="fr-col-12 fr-col-md-3">
          <FilterSelect
            label="Canal"
            value={channel}
            values={notificationChannels}
            labels={notificationChannelLabels}
            onChange={setChannel}
          />
        </div>
      </div>
      <ErrorAlert error={query.error} />
      {query.isPending && <p>Chargement…</p>}
      {query.data && rows.length === 0 && <p>Aucun message pour ces critères.</p>}
      {/* Only agents' mail: the page is about the people's messages, say there are none (yet). */}
      {query.data && rows.length > 0 && personal.length === 0 && (
        <p>Aucun message aux personnes pour ces critères.</p>
      )}
      {personal.length > 0 && (
        <ScrollableTable
          stacked
          caption="Messages envoyés aux personnes (300 derniers)"
          headers={["Créé le", "Personne", "Message", "Destinataire", "Statut", "Détail"]}
          data={personal.map((n) => [
            formatShortDateTime(n.createdAt),
            n.personName ?? "—",
            <span key="kind">
              {notificationChannelLabels[n.channel]} · {kindLabel(n.kind)}
              {n.appointmentAt && (
                <>
                  <br />
                  <span className="fr-text--xs">RDV du {formatAppointment(n.appointmentAt)}</span>
                </>
              )}
            </span>,
            n.channel === "sms" ? formatPhone(n.recipient) : n.recipient,
            <StatusBadge key="status" n={n} />,
            <Detail key="detail" n={n} />,
          ])}
        />
      )}
      {others.length > 0 && (
        <ScrollableTable
          stacked
          caption="Messages aux agents et aux partenaires"
          headers={["Créé le", "Message", "Destinataire", "Statut", "Détail"]}
          data={others.map((n) => [
            formatShortDateTime(n.createdAt),
            <span key="kind">
              {notificationChannelLabels[n.channel]} · {kindLabel(n.kind)}
            </span>,
            n.channel === "sms" ? formatPhone(n.recipient) : n.recipient,
            <StatusBadge key="status" n={n} />,
            <Detail key="detail" n={n} />,
          ])}
        />
      )}
    </>
  );
}

/**
 * A tab's label, shortened under 576 px: the DSFR tab list scrolls sideways, but at 390 px the
 * full labels left "Réglages" off-screen with nothing telling it was there.
 */
function TabLabel({ short, long }: { short: string; long: string }): ReactNode {
  return (
    <>
      <span className="fr-hidden-sm">{short}</span>
      <span className="fr-hidden fr-unhidden-sm">{long}</span>
    </>
  );
}

export function NotificationsPage(): ReactNode {
  usePageTitle("SMS et courriels aux personnes");
  const { structureId } = useSession();
  if (!structureId) return null;
  return (
    <>
      <h1>SMS et courriels aux personnes</h1>
      <p>
        Les convocations, rappels, reports et annulations partent automatiquement quand le CPIP l'a choisi.
        Aucun SMS ne part pendant les heures de silence ; chaque SMS porte un lien personnel pour ne plus en
        recevoir.
      </p>
      <Tabs
        label="Notifications"
        tabs={[
          {
            label: <TabLabel short="Journal" long="Journal des envois" />,
            content: <NotificationLog structureId={structureId} />,
            isDefault: true,
          },
          {
            label: <TabLabel short="Modèles" long="Modèles de messages" />,
            content: <TemplatesEditor structureId={structureId} />,
          },
          { label: "Réglages", content: <NotificationSettingsForm structureId={structureId} /> },
        ]}
      />
    </>
  );
}
