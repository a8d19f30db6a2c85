import { parisDay } from "../calendar";

/**
 * Whether attendance may be recorded yet (isomorphic: the server's rule, the buttons' condition).
 * "Missed" needs the appointment to have started. "Honoured" too, unless the person was noted
 * arrived: then from the arrival on, on the appointment's day (Paris), so a person who came early is
 * received before the hour.
 */
export function attendanceTooEarly(
  to: "honoured" | "missed",
  c: { startsAt: Date; arrivedAt: Date | null },
  now: Date,
): boolean {
  if (now >= c.startsAt) return false;
  return !(to === "honoured" && c.arrivedAt !== null && parisDay(now) === parisDay(c.startsAt));
}
