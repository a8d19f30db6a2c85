import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { detentionRoutes } from "../../../common/detention/detention.routes";
import type { MilieuFermeFigures } from "../../../common/detention/detention.schema";
import { formatValue } from "../../../common/reporting/reporting.schema";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDefinition } from "./Definition";

function MilieuFermeCard({ figure: f }: { figure: MilieuFermeFigures["figures"][number] }): ReactNode {
  const definition = useDefinition(f.label, f.definition);
  return (
    <div className="fr-col-12 fr-col-sm-6 fr-col-md-4 fr-col-lg-3">
      <div className="fr-p-2w" style={{ height: "100%", border: "1px solid var(--border-default-grey)" }}>
        <p className="fr-h4 fr-mb-1v" data-figure={f.key}>
          {formatValue(f.value, f.kind)}
        </p>
        <div style={{ display: "flex", alignItems: "flex-start", justifyContent: "space-between" }}>
          <p className="fr-text--sm fr-mb-0">{f.label}</p>
          {definition.button}
        </div>
        {definition.panel}
      </div>
    </div>
  );
}

/** Milieu fermé (ADR 0028): people released in the period, what was done before, rights on release. */
export function MilieuFermeSection({
  filters,
}: {
  filters: { from: string; to: string; structureId: string };
}): ReactNode {
  const query = useQuery({
    queryKey: ["reporting", "milieu-ferme", filters.from, filters.to, filters.structureId],
    queryFn: () =>
      call(detentionRoutes.figures, {
        query: { from: filters.from, to: filters.to, structureId: filters.structureId || undefined },
      }),
  });
  return (
    <section aria-labelledby="milieu-ferme-title" className="fr-mb-4w">
      <h2 id="milieu-ferme-title">Milieu fermé</h2>
      <p className="fr-text--sm">
        Personnes sorties de détention dans la période : ce qui a été fait avant leur sortie et les droits
        ouverts le jour de la sortie. Les filtres Site, Partenaire et Conseiller ne s'appliquent pas à ces
        chiffres.
      </p>
      <ErrorAlert error={query.error} />
      {query.data && (
        <div className="fr-grid-row fr-grid-row--gutters">
          {query.data.figures.map((f) => (
            <MilieuFermeCard key={f.key} figure={f} />
          ))}
        </div>
      )}
    </section>
  );
}
