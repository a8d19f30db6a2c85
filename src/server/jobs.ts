/**
 * The scheduled jobs the server runs (core/scheduler.ts, ADR 0020). Adding a job is one entry here:
 * a name, how often, and a function doing its work in its own transactions, idempotently.
 */
import type { ScheduledJob } from "./core/scheduler";
import { conventionExpiryAlerts } from "./domains/conventions/job";
import { detentionAlertsJob } from "./domains/detention/alerts";
import { expireOverdueOrientations } from "./domains/orientations/jobs/ExpireOverdue";
import { retentionPurge } from "./domains/retention/job";

export const scheduledJobs: readonly ScheduledJob[] = [
  expireOverdueOrientations,
  retentionPurge,
  detentionAlertsJob,
  conventionExpiryAlerts,
];
