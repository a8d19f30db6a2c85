import type { ScheduledJob } from "../../../core/scheduler";
import { expireOverdue } from "../queries";

/** Sent orientations left 30 days without answer become expired, every minute (ADR 0020). */
export const expireOverdueOrientations: ScheduledJob = {
  name: "orientations.expire_overdue",
  everySeconds: 60,
  run: async ({ db, clock }) => {
    const expired = await expireOverdue(db, undefined, clock.now(), "job:orientations.expire_overdue");
    return `${expired} orientation(s) expirée(s)`;
  },
};
