import { uuid } from "../../../common/contract";
import { isoMonth } from "../../../common/dates";
import {
  type FilterChoices,
  MAX_PERIOD_MONTHS,
  monthsBetween,
} from "../../../common/reporting/reporting.schema";
import type { SteeringFilters } from "./steeringReads";

/** The dashboard's filters in its address, in French like the other pages' (`?du=2026-01&au=2026-06`). */
const paramNames = {
  from: "du",
  to: "au",
  structureId: "structure",
  siteId: "site",
  partnerId: "partenaire",
  counselorId: "conseiller",
} as const satisfies Record<keyof SteeringFilters, string>;

const keys = Object.keys(paramNames) as (keyof SteeringFilters)[];

const accepted = (key: keyof SteeringFilters, value: string): boolean =>
  key === "from" || key === "to"
    ? isoMonth.safeParse(value).success
    : value === "" || uuid.safeParse(value).success;

/**
 * The filters a link names, over the defaults: a value the server would refuse (a hand-edited link)
 * gives way to the default, and so does a period the dashboard does not accept. "structure=" (empty)
 * is "all my structures", its absence the default structure.
 */
export function filtersFromParams(params: URLSearchParams, defaults: SteeringFilters): SteeringFilters {
  const filters = { ...defaults };
  for (const key of keys) {
    const value = params.get(paramNames[key]);
    if (value !== null && accepted(key, value)) filters[key] = value;
  }
  const months = monthsBetween(filters.from, filters.to);
  return months < 1 || months > MAX_PERIOD_MONTHS
    ? { ...filters, from: defaults.from, to: defaults.to }
    : filters;
}

/** The address of these filters: the period and the structure always (so a link reads the same for anyone), the others when chosen. */
export function paramsOf(filters: SteeringFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys)
    if (filters[key] !== "" || key === "structureId") params.set(paramNames[key], filters[key]);
  return params;
}

/** The filters that name something: a structure, site, partner or counselor. */
const placed = ["structureId", "siteId", "partnerId", "counselorId"] as const;
type Placed = (typeof placed)[number];

/**
 * The filters without what does not belong (a site or counselor of another structure, a structure
 * the reader does not have, a partner that is no more): what a change of structure, or a stale link,
 * leaves in the form. A
 * counselor is checked against the structure chosen, or any of the reader's when all are.
 */
export function fitting(
  filters: SteeringFilters,
  choices: FilterChoices,
): { filters: SteeringFilters; dropped: Placed[] } {
  const fitted = { ...filters };
  if (fitted.structureId && !choices.structures.some((s) => s.id === fitted.structureId))
    fitted.structureId = "";
  const here = (o: { id: string; structureId: string }, id: string) =>
    o.id === id && (!fitted.structureId || o.structureId === fitted.structureId);
  if (fitted.siteId && !choices.sites.some((s) => here(s, fitted.siteId))) fitted.siteId = "";
  if (fitted.partnerId && !choices.partners.some((p) => p.id === fitted.partnerId)) fitted.partnerId = "";
  if (fitted.counselorId && !choices.counselors.some((c) => here(c, fitted.counselorId)))
    fitted.counselorId = "";
  return { filters: fitted, dropped: placed.filter((key) => fitted[key] !== filters[key]) };
}
