import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { peopleRoutes } from "../../../common/people/people.routes";
import { fileStateLabels, fileStates } from "../../../common/people/people.schema";
import { personStatuses, personStatusLabels } from "../../../common/roles";
import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { FilterSelect } from "../../components/FilterSelect";
import { hasFilters, type PeopleList } from "./usePeopleList";

const quietWeeks = [2, 4, 8, 12, 26] as const;

/** Open from the start on a wide screen, or when a filter is on; folded on a phone, above the results. */
function openAtFirst(filtered: boolean): boolean {
  return filtered || (typeof window !== "undefined" && window.matchMedia("(min-width: 62em)").matches);
}

/** The list's filters; each change is in the address at once (and back to page 1). */
export function PeopleFilters({
  list,
  canBeReferent,
  filtered,
}: {
  list: PeopleList;
  canBeReferent: boolean;
  filtered: boolean;
}): ReactNode {
  const { state, update } = list;
  const options = useQuery({
    queryKey: ["people", "filter-options"],
    queryFn: () => call(peopleRoutes.filterOptions),
    staleTime: 5 * 60_000,
  });
  const referentValue = state.mine === "true" ? "me" : (state.referent ?? "");
  const filtersOn = hasFilters(state, true);
  const [expanded, setExpanded] = useState(() => openAtFirst(filtersOn));
  return (
    <Accordion
      label={filtersOn ? "Filtres (actifs)" : "Filtres"}
      titleAs="h2"
      expanded={expanded}
      onExpandedChange={setExpanded}
      className="fr-mb-2w"
    >
      {/* Without them the referent and site selects offer « Tous » only: said, with « Réessayer ». */}
      <ErrorAlert
        error={options.error}
        title="Les référents et les lieux ne peuvent pas être choisis pour l'instant"
      />
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6 fr-col-lg-3">
          <Select
            label="Référent"
            nativeSelectProps={{
              value: referentValue,
              onChange: (e) => {
                const v = e.target.value;
                update({
                  mine: v === "me" ? "true" : undefined,
                  referent: v === "me" || v === "" ? undefined : v,
                });
              },
            }}
          >
            <option value="">Tous</option>
            {canBeReferent && <option value="me">Moi</option>}
            {(options.data?.referents ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.displayName}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6 fr-col-lg-3">
          <Select
            label="Lieu de convocation"
            nativeSelectProps={{
              value: state.site ?? "",
              onChange: (e) => update({ site: e.target.value || undefined }),
            }}
          >
            <option value="">Tous</option>
            {(options.data?.sites ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6 fr-col-lg-3">
          <FilterSelect
            label="Situation"
            value={state.status ?? ""}
            values={personStatuses}
            labels={personStatusLabels}
            onChange={(v) => update({ status: v || undefined })}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6 fr-col-lg-3">
          <Select
            label="État du dossier"
            nativeSelectProps={{
              value: state.fileState,
              onChange: (e) => update({ fileState: e.target.value }),
            }}
          >
            {fileStates.map((f) => (
              <option key={f} value={f}>
                {fileStateLabels[f]}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6 fr-col-lg-3">
          <Select
            label="Sans convocation depuis"
            nativeSelectProps={{
              value: state.withoutConvocationWeeks ? String(state.withoutConvocationWeeks) : "",
              onChange: (e) => update({ withoutConvocationWeeks: e.target.value || undefined }),
            }}
          >
            <option value="">Indifférent</option>
            {quietWeeks.map((w) => (
              <option key={w} value={w}>
                {w} semaines, et aucune prévue
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6 fr-col-lg-6">
          <Checkbox
            legend="Suivi en cours"
            small
            options={[
              {
                label: "Avec une démarche en cours",
                nativeInputProps: {
                  checked: state.openDemarche === "true",
                  onChange: (e) => update({ openDemarche: e.target.checked ? "true" : undefined }),
                },
              },
              {
                label: "Avec une convocation à venir",
                nativeInputProps: {
                  checked: state.upcoming === "true",
                  onChange: (e) => update({ upcoming: e.target.checked ? "true" : undefined }),
                },
              },
            ]}
          />
        </div>
        <div className="fr-col-12 fr-col-lg-3">
          <Button priority="tertiary" iconId="fr-icon-refresh-line" onClick={list.reset} disabled={!filtered}>
            Réinitialiser
          </Button>
        </div>
      </div>
    </Accordion>
  );
}
