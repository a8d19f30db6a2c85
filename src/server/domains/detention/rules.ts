import type { DemarcheStatus } from "../../../common/accompaniment/accompaniment.schema";
import type { NeedDomain } from "../../../common/agenda/agenda.schema";
import { addDays } from "../../../common/calendar";

/**
 * Milieu fermé rules, pure (ADR 0028). Days are Europe/Paris calendar days (YYYY-MM-DD), compared
 * as strings; the caller gives today's Paris day.
 */

export const DEFAULT_RELEASE_PLAN_DAYS = 90;
export const DEFAULT_ACCESS_ALERT_DAYS = 30;
/** Release alerts to the referent and the counselors: once at each of these days before release. */
export const RELEASE_ALERT_THRESHOLDS = [90, 30, 7] as const;

/** Whole days from `from` to `to` (negative when `to` is before). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);
}

export interface PlanWindow {
  active: boolean;
  showsFrom: string | null;
  daysLeft: number | null;
}

/**
 * The release plan shows from `delayDays` before the expected release date, up to the release day
 * included; never without a release date.
 */
export function planWindow(releaseDate: string | null, delayDays: number, today: string): PlanWindow {
  if (!releaseDate) return { active: false, showsFrom: null, daysLeft: null };
  const showsFrom = addDays(releaseDate, -delayDays);
  const daysLeft = daysBetween(today, releaseDate);
  return { active: today >= showsFrom && today <= releaseDate, showsFrom, daysLeft };
}

export interface PlanItemDefinition {
  code: string;
  domain: NeedDomain;
  /** Suggested due date: this many days before release (never before today). */
  leadDays: number;
}

/**
 * The rights to restore before release, each a démarche of the catalogue: identity card first
 * (it takes longest and the others need it), then health cover, income, registration, bank,
 * address, housing, IAE.
 */
export const releasePlanItems: readonly PlanItemDefinition[] = [
  { code: "ants-cni-passeport", domain: "acces-aux-droits", leadDays: 60 },
  { code: "domiciliation-demande", domain: "acces-aux-droits", leadDays: 45 },
  { code: "cpam-affiliation", domain: "sante", leadDays: 30 },
  { code: "cpam-css", domain: "sante", leadDays: 30 },
  { code: "caf-rsa", domain: "budget", leadDays: 15 },
  { code: "ft-inscription", domain: "emploi", leadDays: 15 },
  { code: "laposte-compte-bancaire", domain: "budget", leadDays: 30 },
  { code: "domiciliation-siao", domain: "logement-hebergement", leadDays: 45 },
  { code: "ft-iae-orientation", domain: "emploi", leadDays: 30 },
];

/** The due date of a plan item: its lead before release, but not in the past. */
export function planDueDate(releaseDate: string, leadDays: number, today: string): string {
  const due = addDays(releaseDate, -leadDays);
  if (due >= today) return due;
  return today <= releaseDate ? today : releaseDate;
}

export function planItemState(status: DemarcheStatus | null): "open" | "in_progress" | "done" {
  if (status === null) return "open";
  if (status === "granted") return "done";
  // A refused or abandoned démarche leaves the right to restore: the item is open again.
  if (status === "rejected" || status === "abandoned" || status === "reoriented") return "open";
  return "in_progress";
}

/** State of an access authorisation on `today`: expired the day after `validUntil`. */
export function authorisationState(
  validUntil: string,
  today: string,
  alertDays: number,
): "valid" | "expiring" | "expired" {
  if (validUntil < today) return "expired";
  return daysBetween(today, validUntil) <= alertDays ? "expiring" : "valid";
}

/**
 * The release alert due today, if any: the smallest threshold already reached that was not sent.
 * Only one alert per run even when several thresholds were crossed (a person registered late).
 */
export function releaseAlertDue(
  daysLeft: number,
  sent: readonly number[],
  thresholds: readonly number[] = RELEASE_ALERT_THRESHOLDS,
): number | null {
  if (daysLeft < 0) return null;
  const reached = thresholds.filter((t) => daysLeft <= t).sort((a, b) => a - b);
  const smallest = reached[0];
  if (smallest === undefined || sent.includes(smallest)) return null;
  return smallest;
}
