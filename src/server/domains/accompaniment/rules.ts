import type { DemarcheStatus } from "../../../common/accompaniment/accompaniment.schema";

/**
 * Where a démarche may go from each status. A submitted file may come back for more documents;
 * granted, rejected, abandoned and reoriented are final (an appeal is a new démarche).
 */
const nextStatuses: Record<DemarcheStatus, readonly DemarcheStatus[]> = {
  todo: ["in_progress", "waiting_documents", "submitted", "abandoned", "reoriented"],
  in_progress: ["waiting_documents", "submitted", "granted", "abandoned", "reoriented"],
  waiting_documents: ["in_progress", "submitted", "abandoned", "reoriented"],
  submitted: ["waiting_documents", "granted", "rejected", "abandoned"],
  granted: [],
  rejected: [],
  abandoned: [],
  reoriented: [],
};

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
