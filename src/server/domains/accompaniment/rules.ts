import {
  type DemarcheStatus,
  demarcheNextStatuses as nextStatuses,
} from "../../../common/accompaniment/accompaniment.schema";

export const isFinal = (status: DemarcheStatus): boolean => nextStatuses[status].length === 0;

/** Staying in the same status (to update the outcome or next step) is always allowed but for finals. */
export function transitionAllowed(from: DemarcheStatus, to: DemarcheStatus): boolean {
  if (from === to) return !isFinal(from);
  return nextStatuses[from].includes(to);
}

/** A démarche may be recorded in any status but `reoriented`, which needs an orientation. */
export const creationAllowed = (status: DemarcheStatus): boolean => status !== "reoriented";

export interface NeedRecord {
  domain: string;
  hasNeed: boolean;
  assessedAt: Date;
}

/**
 * Progress over time: how many needs were opened (a domain becoming a need) and resolved (a need
 * no longer being one), and how many are open now.
 */
export function needsProgress(history: NeedRecord[]): { opened: number; resolved: number; open: number } {
  const sorted = [...history].sort((a, b) => a.assessedAt.getTime() - b.assessedAt.getTime());
  const current = new Map<string, boolean>();
  let opened = 0;
  let resolved = 0;
  for (const record of sorted) {
    const before = current.get(record.domain) ?? false;
    if (!before && record.hasNeed) opened += 1;
    if (before && !record.hasNeed) resolved += 1;
    current.set(record.domain, record.hasNeed);
  }
  return { opened, resolved, open: [...current.values()].filter(Boolean).length };
}

/**
 * When a visit began. The booked time, unless the person, noted arrived, was received before it
 * (`attendanceTooEarly` lets the counselor mark an early arrival honoured): then the visit ended by
 * the time it was recorded, so it began `durationMinutes` before at the latest, and not before the
 * arrival. Never after the booked time, never after it was recorded.
 */
export function visitStartedAt(
  c: { startsAt: Date; arrivedAt: Date | null },
  recordedAt: Date,
  durationMinutes: number,
): Date {
  if (!c.arrivedAt || c.arrivedAt >= c.startsAt) return c.startsAt;
  const latest = new Date(recordedAt.getTime() - durationMinutes * 60_000);
  const began = latest > c.arrivedAt ? latest : c.arrivedAt;
  return began < c.startsAt ? began : c.startsAt;
}
