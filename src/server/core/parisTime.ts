import { TZDate } from "@date-fns/tz";
import { TIME_ZONE } from "../../common/calendar";

/** The UTC instant of a Paris wall-clock time (HH:MM) on a calendar day, DST-aware. */
export function parisInstant(day: string, time: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, d, hh, mm, 0, TIME_ZONE).getTime());
}
