import { auditActionLabels, auditOutcomeLabels } from "../../../common/audit/audit.labels";
import type { AddressReader } from "../../components/useAddressFilters";
import type { AuditFilterValues } from "./AuditFilters";

/** The journal's filters in its address, in French like the other lists' (`?agent=…&du=2026-11-01`). */
export const auditParams = {
  personId: "personne",
  actorUserId: "agent",
  action: "action",
  outcome: "resultat",
  from: "du",
  to: "au",
} as const satisfies Record<keyof AuditFilterValues, string>;

/** The name typed to find the person: searched again, it brings the person back among the choices. */
export const PERSON_SEARCH = "recherche";

const actions = Object.keys(auditActionLabels);
const outcomes = Object.keys(auditOutcomeLabels) as Exclude<AuditFilterValues["outcome"], "">[];

/** What the page offers beyond its fixed lists: the structure's agents, the people the search finds. */
export interface AuditChoices {
  agents: readonly string[];
  people: readonly string[];
}

/**
 * The filters the address names, each one only if the page offers it (a hand-edited or stale link
 * reads as "all" there): a real day for the period, whose end does not come before its start.
 */
export function auditFiltersFrom(read: AddressReader, offered: AuditChoices): AuditFilterValues {
  const from = read.date(auditParams.from);
  const to = read.date(auditParams.to);
  return {
    personId: read.choice(auditParams.personId, offered.people),
    actorUserId: read.choice(auditParams.actorUserId, offered.agents),
    action: read.choice(auditParams.action, actions),
    outcome: read.choice(auditParams.outcome, outcomes),
    from,
    to: from && to < from ? "" : to,
  };
}

/** The address's part for these filters ("" removes a filter), the person's search only with a person. */
export function auditAddressOf(filters: AuditFilterValues, personSearch: string): Record<string, string> {
  const patch: Record<string, string> = {
    [PERSON_SEARCH]: filters.personId ? personSearch.trim() : "",
  };
  for (const key of Object.keys(auditParams) as (keyof AuditFilterValues)[])
    patch[auditParams[key]] = filters[key];
  return patch;
}
