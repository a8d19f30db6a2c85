import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { auditActionLabels, auditOutcomeLabels } from "../../../common/audit/audit.labels";
import { auditFiltersSchema } from "../../../common/audit/audit.schema";
import { byFrench } from "../../../common/frenchOrder";
import { peopleRoutes } from "../../../common/people/people.routes";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { formatDate } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import { type FieldState, type NativeFieldProps, useFormErrors } from "../../components/form/useFormErrors";

export interface AuditFilterValues {
  personId: string;
  actorUserId: string;
  action: string;
  outcome: "" | "success" | "denied" | "failure";
  from: string;
  to: string;
}

/** The filters as the API takes them: empty fields left out. */
export function auditFilterQuery(structureId: string, filters: AuditFilterValues) {
  return {
    structureId,
    personId: filters.personId || undefined,
    actorUserId: filters.actorUserId || undefined,
    action: filters.action || undefined,
    outcome: filters.outcome || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
  };
}

const labels = {
  personId: "Personne",
  actorUserId: "Agent",
  action: "Action",
  outcome: "Résultat",
  from: "Du",
  to: "Au",
} as const;

/** The people of the structure a name finds (two letters at least): the person filter's choices. */
export function usePeopleFound(search: string) {
  const term = search.trim();
  return useQuery({
    queryKey: ["audit-people", term],
    queryFn: () => call(peopleRoutes.list, { query: { search: term } }),
    enabled: term.length >= 2,
  });
}

/** The structure's agents: the agent filter's choices ("": no structure yet, nothing asked). */
export function useStructureAgents(structureId: string) {
  return useQuery({
    queryKey: ["structure", structureId, "users"],
    queryFn: () => call(structuresRoutes.users, { params: { structureId } }),
    enabled: structureId !== "",
  });
}

/** Finds a person of the structure by name (at least two letters), then picks one. */
function PersonPicker(props: {
  value: string;
  onChange: (personId: string) => void;
  search: string;
  onSearch: (search: string) => void;
  field: { state: FieldState; native: NativeFieldProps };
}): ReactNode {
  const people = usePeopleFound(props.search);
  return (
    <>
      {/* Without it the search offers nobody: said, with « Réessayer » (fault review). */}
      <ErrorAlert error={people.error} title="La liste des personnes ne peut pas être lue pour l'instant" />
      <Input
        label="Rechercher une personne"
        hintText="Nom ou prénom, deux lettres au moins"
        nativeInputProps={{
          type: "search",
          value: props.search,
          onChange: (e) => props.onSearch(e.target.value),
        }}
      />
      <Select
        label={labels.personId}
        {...props.field.state}
        nativeSelectProps={{
          ...props.field.native,
          value: props.value,
          onChange: (e) => props.onChange(e.target.value),
        }}
      >
        <option value="">Toutes les personnes</option>
        {people.data?.people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.lastName.toUpperCase()} {p.firstName} (né·e le {formatDate(p.birthDate)})
          </option>
        ))}
      </Select>
    </>
  );
}

/**
 * The journal's filters; applied on submit, checked with the server's schema first. The boxes keep what
 * is being chosen or typed; back, forward or a link: they say the filters applied (`value`).
 */
export function AuditFilters(props: {
  structureId: string;
  value: AuditFilterValues;
  personSearch: string;
  onApply: (filters: AuditFilterValues, personSearch: string) => void;
}): ReactNode {
  const [draft, setDraft] = useState<AuditFilterValues>(props.value);
  const [personSearch, setPersonSearch] = useState(props.personSearch);
  const { personId, actorUserId, action, outcome, from, to } = props.value;
  useEffect(
    () => setDraft({ personId, actorUserId, action, outcome, from, to }),
    [personId, actorUserId, action, outcome, from, to],
  );
  useEffect(() => setPersonSearch(props.personSearch), [props.personSearch]);
  const errors = useFormErrors("audit-filters", labels);
  const agents = useStructureAgents(props.structureId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = auditFilterQuery(props.structureId, draft);
    const schema = auditFiltersSchema.refine((q) => !q.from || !q.to || q.from <= q.to, {
      message: "La date de fin doit suivre la date de début.",
      path: ["to"],
    });
    if (!errors.check(schema, query)) return;
    errors.clear();
    props.onApply(draft, personSearch);
  };
  const set = (patch: Partial<AuditFilterValues>) => setDraft({ ...draft, ...patch });
  return (
    <form onSubmit={submit} noValidate aria-label="Filtres du journal" className="fr-mb-3w">
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <PersonPicker
            value={draft.personId}
            onChange={(personId) => set({ personId })}
            search={personSearch}
            onSearch={setPersonSearch}
            field={{ state: errors.state("personId"), native: errors.native("personId") }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <ErrorAlert error={agents.error} title="La liste des agents ne peut pas être lue pour l'instant" />
          <Select
            label={labels.actorUserId}
            {...errors.state("actorUserId")}
            nativeSelectProps={{
              ...errors.native("actorUserId"),
              value: draft.actorUserId,
              onChange: (e) => set({ actorUserId: e.target.value }),
            }}
          >
            <option value="">Tous les agents</option>
            {agents.data?.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}
              </option>
            ))}
          </Select>
          <Select
            label={labels.action}
            nativeSelectProps={{
              ...errors.native("action"),
              value: draft.action,
              onChange: (e) => set({ action: e.target.value }),
            }}
          >
            <option value="">Toutes les actions</option>
            {Object.entries(auditActionLabels)
              .sort(([, a], [, b]) => byFrench(a, b))
              .map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={labels.outcome}
            nativeSelectProps={{
              ...errors.native("outcome"),
              value: draft.outcome,
              onChange: (e) => set({ outcome: e.target.value as AuditFilterValues["outcome"] }),
            }}
          >
            <option value="">Tous</option>
            {Object.entries(auditOutcomeLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-6">
              <Input
                label={labels.from}
                {...errors.state("from")}
                nativeInputProps={{
                  ...errors.native("from"),
                  type: "date",
                  value: draft.from,
                  onChange: (e) => set({ from: e.target.value }),
                }}
              />
            </div>
            <div className="fr-col-6">
              <Input
                label={labels.to}
                {...errors.state("to")}
                nativeInputProps={{
                  ...errors.native("to"),
                  type: "date",
                  value: draft.to,
                  onChange: (e) => set({ to: e.target.value }),
                }}
              />
            </div>
          </div>
        </div>
      </div>
      <Button type="submit" iconId="fr-icon-filter-line" className="fr-mt-2w">
        Filtrer
      </Button>
    </form>
  );
}
