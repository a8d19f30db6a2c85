import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { NarrowingFilter } from "../../../common/reporting/definitions";
import { formatValue } from "../../../common/reporting/reporting.schema";
import {
  type SectionFigure,
  type SectionFigures,
  type SectionId,
  sectionFilterNotes,
  sectionFiltersNote,
  sectionIds,
  sectionTexts,
} from "../../../common/reporting/sections.schema";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDefinition } from "./Definition";

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

/**
 * A section served beside the dashboard (milieu fermé ADR 0028, transfers ADR 0029, collective
 * actions ADR 0031), over every selected structure: exact for the direction, protected for steering
 * (the server decides), each figure with its definition.
 */
function FigureSection({
  id,
  query,
  csvUrl,
  chosen,
}: {
  id: SectionId;
  query: UseQueryResult<SectionFigures>;
  csvUrl: string;
  chosen: Partial<Record<NarrowingFilter, string>>;
}): ReactNode {
  const { title, intro } = sectionTexts[id];
  // A chosen filter the section's route refuses is not sent (`sectionRead`): said here instead.
  const notApplied = sectionFilterNotes(chosen, id);
  return (
    <section aria-labelledby={`section-${id}`} className="fr-mb-6w" data-section={id}>
      <h2 id={`section-${id}`} className="fr-h4">
        {title}
      </h2>
      <p className="fr-text--sm fr-mb-1w">
        {intro} {sectionFiltersNote(id)}
      </p>
      {notApplied.map((note) => (
        <p key={note} className="fr-text--xs fr-mb-1v fr-icon-warning-line fr-icon--sm" data-filter-note>
          {" "}
          {note}
        </p>
      ))}
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

/** The sections, read by the page with the dashboard (`useSteeringReads`). */
export function FigureSections({
  queries,
  csvUrl,
  chosen,
}: {
  queries: Record<SectionId, UseQueryResult<SectionFigures>>;
  csvUrl: (id: SectionId) => string;
  chosen: Partial<Record<NarrowingFilter, string>>;
}): ReactNode {
  return (
    <>
      {sectionIds.map((id) => (
        <FigureSection key={id} id={id} query={queries[id]} csvUrl={csvUrl(id)} chosen={chosen} />
      ))}
    </>
  );
}
