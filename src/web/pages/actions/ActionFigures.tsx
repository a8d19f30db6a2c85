import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import { actionKindLabels } from "../../../common/actions/actions.schema";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ScrollableTable } from "../../components/ScrollableTable";

/** The dashboard's "Actions collectives" section: exact for the direction, protected for steering. */
export function ActionFigures({
  structureId,
  from,
  to,
}: {
  structureId: string;
  from: string;
  to: string;
}): ReactNode {
  const query = useQuery({
    queryKey: ["actions", structureId, "figures", from, to],
    queryFn: () => call(actionsRoutes.figures, { params: { structureId }, query: { from, to } }),
  });
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!query.data) return <p>Chargement…</p>;
  const f = query.data;
  return (
    <section className="fr-mb-6w" id="actions-collectives">
      <h2>Actions collectives</h2>
      <p className="fr-text--sm">
        {f.protected
          ? "Chiffres protégés (méthode de la clé de cellule) : les effectifs de 1 à 4 sont affichés « < 5 »."
          : "Chiffres exacts, réservés à la direction."}
      </p>
      <ScrollableTable
        caption="Actions collectives tenues ou prévues sur la période"
        headers={["Type d'action", "Actions"]}
        data={[
          ...f.byKind.map((k) => [actionKindLabels[k.kind], k.actions.display]),
          ["Total", f.actions.display],
        ]}
      />
      <ScrollableTable
        caption="Participation et résultats des actions collectives"
        headers={["Indicateur", "Nombre"]}
        data={[
          ["Personnes convoquées", f.peopleConvoked.display],
          ["Personnes présentes", f.peoplePresent.display],
          ["Partenaires invités", f.partnersInvited.display],
          ["Partenaires présents", f.partnersPresent.display],
          ["Entretiens tenus (forums emploi)", f.interviews.display],
          ["Embauches", f.hires.display],
          ["Orientations vers l'IAE", f.iaeOrientations.display],
        ]}
      />
    </section>
  );
}
