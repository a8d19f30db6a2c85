import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { actionsRoutes } from "../../../common/actions/actions.routes";
import { detentionRoutes } from "../../../common/detention/detention.routes";
import { fundingsRoutes } from "../../../common/fundings/fundings.routes";
import { handoverRoutes } from "../../../common/handover/handover.routes";
import { formatValue } from "../../../common/reporting/reporting.schema";
import {
  SECTION_FILTERS_NOTE,
  type SectionFigure,
  type SectionFigures,
  type SectionId,
  sectionIds,
  sectionTexts,
} from "../../../common/reporting/sections.schema";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDefinition } from "./Definition";

type Filters = { from: string; to: string; structureId: string };

/** One figure of a section: its value, its name and "ⓘ" (its definition, written by the server). */
function SectionCard({ id, figure: f }: { id: SectionId; figure: SectionFigure }): ReactNode {
  const definition = useDefinition(f.label, f.definition);
  return (
    <div className="fr-col-12 fr-col-sm-6 fr-col-md-4 fr-col-lg-3">
      <div className="fr-p-2w" style={{ height: "100%", border: "1px solid var(--border-default-grey)" }}>
        <p className="fr-h4 fr-mb-1v" data-figure={`${id}.${f.key}`}>
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

const fetchers: Record<SectionId, (query: Filters) => Promise<SectionFigures>> = {
  milieuFerme: (query) => call(detentionRoutes.figures, { query }),
  transfers: (query) => call(handoverRoutes.figures, { query }),
  actions: (query) => call(actionsRoutes.figures, { query }),
  fundings: (query) => call(fundingsRoutes.figures, { query }),
};

/**
 * A section served beside the dashboard (milieu fermé ADR 0028, transfers ADR 0029, collective
 * actions ADR 0031), over every selected structure: exact for the direction, protected for steering
 * (the server decides), each figure with its definition.
 */
function FigureSection({
  id,
  filters,
  csvUrl,
}: {
  id: SectionId;
  filters: Filters;
  csvUrl: string;
}): ReactNode {
  const query = useQuery({
    queryKey: ["reporting", id, filters.from, filters.to, filters.structureId],
    queryFn: () =>
      fetchers[id]({
        from: filters.from,
        to: filters.to,
        ...(filters.structureId ? { structureId: filters.structureId } : {}),
      } as Filters),
  });
  const { title, intro } = sectionTexts[id];
  return (
    <section aria-labelledby={`section-${id}`} className="fr-mb-6w" data-section={id}>
      <h2 id={`section-${id}`} className="fr-h4">
        {title}
      </h2>
      <p className="fr-text--sm fr-mb-1w">
        {intro} {SECTION_FILTERS_NOTE}
      </p>
      <ErrorAlert error={query.error} />
      {query.isPending && !query.error && <p>Chargement…</p>}
      {query.data && (
        <>
          <div className="fr-grid-row fr-grid-row--gutters">
            {query.data.figures.map((f) => (
              <SectionCard key={f.key} id={id} figure={f} />
            ))}
          </div>
          <p className="fr-mt-2w">
            <a className="fr-link fr-icon-download-line fr-link--icon-left" href={csvUrl} download>
              Télécharger ces chiffres (CSV)
            </a>
          </p>
        </>
      )}
    </section>
  );
}

export function FigureSections({
  filters,
  csvUrl,
}: {
  filters: Filters;
  csvUrl: (id: SectionId) => string;
}): ReactNode {
  return (
    <>
      {sectionIds.map((id) => (
        <FigureSection key={id} id={id} filters={filters} csvUrl={csvUrl(id)} />
      ))}
    </>
  );
}
