/**
 * Retention rules (ADR 0024), pure: when a file is archived, when its personal data is erased,
 * which cut-offs the purge of old rows uses.
 */
import { defaultRetentionSettings, type RetentionSettings } from "../../../common/retention/retention.schema";

const DAY_MS = 86_400_000;

/** The same instant `months` calendar months earlier (the 31st falls back to the month's last day). */
export function monthsBefore(at: Date, months: number): Date {
  const result = new Date(at.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** The same instant `months` calendar months later. */
export function monthsAfter(at: Date, months: number): Date {
  return monthsBefore(at, -months);
}

export function daysBefore(at: Date, days: number): Date {
  return new Date(at.getTime() - days * DAY_MS);
}

export interface Cutoffs {
  /** Files whose last activity is before this are archived. */
  archiveBefore: Date;
  /** Files archived before this have their personal data erased. */
  eraseArchivedBefore: Date;
  journalBefore: Date;
  messagesBefore: Date;
}

export function cutoffs(settings: RetentionSettings, now: Date): Cutoffs {
  return {
    archiveBefore: monthsBefore(now, settings.archiveAfterMonths),
    eraseArchivedBefore: monthsBefore(now, settings.eraseAfterMonths),
    journalBefore: monthsBefore(now, settings.journalMonths),
    messagesBefore: monthsBefore(now, settings.messageMonths),
  };
}

/** A structure's row, or the national defaults. */
export function settingsOrDefaults(row: RetentionSettings | undefined): RetentionSettings {
  if (!row) return { ...defaultRetentionSettings };
  return {
    archiveAfterMonths: row.archiveAfterMonths,
    eraseAfterMonths: row.eraseAfterMonths,
    journalMonths: row.journalMonths,
    messageMonths: row.messageMonths,
  };
}
