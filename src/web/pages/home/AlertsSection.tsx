import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { type AlertItem, alertsRoutes } from "../../../common/accompaniment/alerts";
import { call } from "../../api/client";
import { formatShortDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";

function AlertTable({
  caption,
  items,
  dateLabel,
}: {
  caption: string;
  items: AlertItem[];
  dateLabel: string;
}): ReactNode {
  if (items.length === 0) return null;
  // The same text on every row says nothing the caption does not: the column shows only when it varies.
  const showDetail = new Set(items.map((a) => a.detail)).size > 1;
  return (
    <ScrollableTable
      caption={`${caption} (${items.length})`}
      headers={showDetail ? ["Personne", "Objet", dateLabel] : ["Personne", dateLabel]}
      data={items.map((a) => [
        <Link key="p" to={`/personnes/${a.personId}`}>
          {a.personName}
        </Link>,
        ...(showDetail ? [a.detail] : []),
        formatShortDate(a.date),
      ])}
    />
  );
}

/** What needs attention among the people the agent follows. */
export function AlertsSection(): ReactNode {
  const query = useQuery({ queryKey: ["alerts"], queryFn: () => call(alertsRoutes.mine) });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return null;
  const a = query.data;
  const total =
    a.measureEnding.length +
    a.overdueDemarches.length +
    a.pendingOrientations.length +
    a.notSeen.length +
    a.releaseNear.length +
    a.accessExpiring.length;
  return (
    <section className="fr-mb-6w">
      <h2>Alertes</h2>
      {total === 0 && <p>Rien d'urgent parmi les personnes que vous suivez.</p>}
      {a.accessExpiring.map((access) => (
        <div key={access.siteName} className="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w">
          <p>
            Votre autorisation d'accès à {access.siteName}{" "}
            {access.validUntil < new Date().toISOString().slice(0, 10) ? "a expiré le" : "expire le"}{" "}
            {formatShortDate(access.validUntil)} : demandez son renouvellement.
          </p>
        </div>
      ))}
      <AlertTable
        caption="Sorties de détention proches, plan de sortie à compléter"
        items={a.releaseNear}
        dateLabel="Sortie prévue"
      />
      <AlertTable
        caption={`Mesures finissant dans les ${a.settings.measureAlertDays} jours, avec besoins ou démarches ouverts`}
        items={a.measureEnding}
        dateLabel="Fin de mesure"
      />
      <AlertTable caption="Démarches en retard" items={a.overdueDemarches} dateLabel="Échéance" />
      <AlertTable caption="Orientations sans réponse" items={a.pendingOrientations} dateLabel="Envoyée le" />
      <AlertTable
        caption={`Personnes pas vues depuis ${a.settings.notSeenWeeks} semaines, sans convocation prévue`}
        items={a.notSeen}
        dateLabel="Dernière venue"
      />
    </section>
  );
}
