import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ReactNode } from "react";
import {
  type NeedInput,
  type NeedPriority,
  type NeedView,
  needPriorities,
  needPriorityLabels,
} from "../../../common/accompaniment/accompaniment.schema";
import { type NeedDomain, needDomainLabels, needDomains } from "../../../common/agenda/agenda.schema";
import { ScrollableTable } from "../../components/ScrollableTable";
import { needsWording } from "./needsWording";

/** Domain → the assessment made at this visit; absent: not re-assessed. */
export type NeedsDraft = Partial<Record<NeedDomain, NeedInput>>;

/**
 * The twelve need domains, each re-assessable: need or not, priority, situation. `visitStartsAt`: a
 * visit recorded after its day says « lors de la visite », not « aujourd'hui ».
 */
export function NeedsForm({
  current,
  value,
  onChange,
  visitStartsAt,
}: {
  current: NeedView[];
  value: NeedsDraft;
  onChange: (value: NeedsDraft) => void;
  visitStartsAt?: string;
}): ReactNode {
  const words = needsWording(visitStartsAt);
  const set = (domain: NeedDomain, patch: Partial<NeedInput> | null) => {
    const next = { ...value };
    if (patch === null) delete next[domain];
    else
      next[domain] = {
        domain,
        hasNeed: false,
        priority: null,
        situation: "",
        comment: "",
        ...value[domain],
        ...patch,
      };
    onChange(next);
  };
  return (
    <>
      <h2>Besoins</h2>
      <p className="fr-text--sm">{words.intro}</p>
      <ScrollableTable
        caption="Évaluation des besoins"
        stacked
        headers={["Domaine", "Dernière évaluation", words.column, "Priorité", "Situation"]}
        data={needDomains.map((domain) => {
          const before = current.find((n) => n.domain === domain);
          const draft = value[domain];
          const label = needDomainLabels[domain];
          return [
            label,
            before ? (before.hasNeed ? "Besoin" : "Pas de besoin") : "—",
            <Select
              key="need"
              label={<span className="fr-sr-only">{words.label(label)}</span>}
              nativeSelectProps={{
                value: draft ? (draft.hasNeed ? "yes" : "no") : "",
                onChange: (e) =>
                  set(domain, e.target.value === "" ? null : { hasNeed: e.target.value === "yes" }),
              }}
            >
              <option value="">Non abordé</option>
              <option value="yes">Besoin</option>
              <option value="no">Pas de besoin</option>
            </Select>,
            <Select
              key="priority"
              label={<span className="fr-sr-only">Priorité : {label}</span>}
              disabled={!draft?.hasNeed}
              nativeSelectProps={{
                value: draft?.priority ?? "",
                onChange: (e) => set(domain, { priority: (e.target.value || null) as NeedPriority | null }),
              }}
            >
              <option value="">—</option>
              {needPriorities.map((p) => (
                <option key={p} value={p}>
                  {needPriorityLabels[p]}
                </option>
              ))}
            </Select>,
            <Input
              key="situation"
              label={<span className="fr-sr-only">Situation : {label}</span>}
              disabled={!draft}
              nativeInputProps={{
                value: draft?.situation ?? "",
                maxLength: 300,
                onChange: (e) => set(domain, { situation: e.target.value }),
              }}
            />,
          ];
        })}
      />
    </>
  );
}
