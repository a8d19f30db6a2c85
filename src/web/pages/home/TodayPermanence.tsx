import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { frenchList } from "../../../common/frenchList";
import { homeRoutes } from "../../../common/home/home.routes";
import { call } from "../../api/client";
import { formatLongDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ConvocationTable } from "../agenda/ConvocationTable";

/** The counselor's home starts with today's permanence: the day's convocations on their sites, in order. */
export function TodayPermanence(): ReactNode {
  const query = useQuery({ queryKey: ["home", "permanence"], queryFn: () => call(homeRoutes.permanence) });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const { day, sites, convocations } = query.data;
  const arrived = convocations.filter((c) => c.arrivedAt && c.status === "planned").length;
  return (
    <section className="fr-mb-6w" aria-labelledby="permanence-title">
      <h2 id="permanence-title">Permanence du {formatLongDate(day)}</h2>
      <p>
        {sites.length > 0
          ? `Vos lieux aujourd'hui : ${frenchList(sites.map((s) => s.name))}.`
          : "Vous ne tenez pas de permanence aujourd'hui : voici les convocations de tous les lieux."}{" "}
        {convocations.length > 0 &&
          `${convocations.length} convocation${convocations.length > 1 ? "s" : ""}${arrived > 0 ? `, dont ${arrived} personne${arrived > 1 ? "s" : ""} arrivée${arrived > 1 ? "s" : ""} en attente` : ""}. `}
        <Link to="/convocations">Voir toutes les convocations</Link>
      </p>
      <ConvocationTable
        caption="Convocations du jour"
        oneDay
        convocations={convocations}
        emptyText={
          sites.length > 0
            ? "Aucune convocation aujourd'hui sur vos lieux."
            : "Aucune convocation aujourd'hui sur les lieux de la structure."
        }
      />
    </section>
  );
}
