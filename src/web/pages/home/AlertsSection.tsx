import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { Link } from "react-router";
import { type AlertItem, alertsRoutes } from "../../../common/accompaniment/alerts";
import { atPlace } from "../../../common/placeName";
import { call } from "../../api/client";
import { formatShortDate, parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";
import { HOME_FIRST_ROWS, useShowAll } from "./ShowAll";

/**
 * One kind of alert: its first rows, the others a click away (the caption says how many). `what`
 * names the rows in the button that shows them all.
 */
function AlertTable({
  caption,
  what,
  items,
  dateLabel,
}: {
  caption: string;
  what: string;
  items: AlertItem[];
  dateLabel: string;
}): ReactNode {
  const id = useId();
  const { shown, button } = useShowAll(items, { first: HOME_FIRST_ROWS, what, controls: id });
  if (items.length === 0) return null;
  // The same text on every row says nothing the caption does not: the column shows only when it varies.
  const showDetail = new Set(items.map((a) => a.detail)).size > 1;
  return (
    <div id={id} className="fr-mb-3w">
      <ScrollableTable
        className="fr-mb-1w"
        caption={`${caption} (${items.length})`}
        headers={showDetail ? ["Personne", "Objet", dateLabel] : ["Personne", dateLabel]}
        data={shown.map((a) => [
          <Link key="p" to={`/personnes/${a.personId}`}>
            {a.personName}
          </Link>,
          ...(showDetail ? [a.detail] : []),
          formatShortDate(a.date),
        ])}
      />
      {button}
    </div>
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
    a.measureEnded.length +
    a.overdueDemarches.length +
    a.pendingOrientations.length +
    a.notSeen.length +
    a.releaseNear.length +
    a.accessExpiring.length;
  return (
    <section className="fr-mb-6w" aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alertes</h2>
      {total === 0 && <p>Rien d'urgent parmi les personnes que vous suivez.</p>}
      {a.accessExpiring.map((access) => (
        <div key={access.siteName} className="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w">
          <p>
            Votre autorisation d'accès {atPlace(access.siteName)}{" "}
            {access.validUntil < parisDayOf() ? "a expiré le" : "expire le"}{" "}
            {formatShortDate(access.validUntil)} : demandez son renouvellement.
          </p>
        </div>
      ))}
      <AlertTable
        caption="Sorties de détention proches, plan de sortie à compléter"
        what="sorties de détention proches"
        items={a.releaseNear}
        dateLabel="Sortie prévue"
      />
      <AlertTable
        caption={`Mesures finissant dans les ${a.settings.measureAlertDays} jours, avec besoins ou démarches ouverts`}
        what={`mesures finissant dans les ${a.settings.measureAlertDays} jours`}
        items={a.measureEnding}
        dateLabel="Fin de mesure"
      />
      <AlertTable
        caption="Mesures terminées, dossier encore ouvert : le clôturer ou enregistrer la nouvelle mesure"
        what="mesures terminées, dossier ouvert"
        items={a.measureEnded}
        dateLabel="Fin de mesure"
      />
      <AlertTable
        caption="Démarches en retard"
        what="démarches en retard"
        items={a.overdueDemarches}
        dateLabel="Échéance"
      />
      <AlertTable
        caption="Orientations sans réponse"
        what="orientations sans réponse"
        items={a.pendingOrientations}
        dateLabel="Envoyée le"
      />
      <AlertTable
        caption={`Personnes pas vues depuis ${a.settings.notSeenWeeks} semaines, sans convocation prévue`}
        what={`personnes pas vues depuis ${a.settings.notSeenWeeks} semaines`}
        items={a.notSeen}
        dateLabel="Dernière venue"
      />
    </section>
  );
}
