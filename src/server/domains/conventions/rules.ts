/**
 * A convention's status as shown (ADR 0030): what was recorded (draft, signed, ended) and, for a
 * signed one, its end date against today's Paris day and the structure's alert delay.
 */
import type { ConventionStatus, RecordedStatus } from "../../../common/conventions/conventions.schema";

/** Whole days from one calendar day to another (negative when `to` is before `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);
}

export function conventionStatus(
  convention: { recordedStatus: RecordedStatus; endsOn: string | null },
  today: string,
  alertDays: number,
): ConventionStatus {
  if (convention.recordedStatus !== "signed") return convention.recordedStatus;
  if (!convention.endsOn) return "signed";
  const left = daysBetween(today, convention.endsOn);
  if (left < 0) return "expired";
  if (left <= alertDays) return "to_renew";
  return "signed";
}

/** The alert thresholds, in days before the end: the structure's delay, 30 days, the end itself. */
export function alertThresholds(alertDays: number): number[] {
  return [...new Set([alertDays, Math.min(30, alertDays), 0])].sort((a, b) => b - a);
}

/**
 * The threshold an alert is due for with `daysLeft` days to go: the nearest one crossed (a
 * convention recorded 20 days before its end gets the 30-day alert, not the 90-day one too); null
 * while the end is further than the delay.
 */
export function dueThreshold(daysLeft: number, alertDays: number): number | null {
  const crossed = alertThresholds(alertDays).filter((t) => daysLeft <= t);
  return crossed.length > 0 ? (crossed[crossed.length - 1] as number) : null;
}
