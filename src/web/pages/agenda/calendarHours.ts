/** The grid's usual hours (8 h – 19 h): widened when something happens earlier or later. */
export const USUAL_HOURS = { first: 8, last: 19 } as const;

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The hours the calendar's grid shows (the browser's local hours, as the calendar draws them):
 * 8 h – 19 h, widened to the convocations and actions shown and to the permanences' opening hours, so
 * that an evening permanence never reads as an empty week (outside review). `last` is 24 at most.
 */
export function gridHours(
  events: readonly { start: Date; end: Date }[],
  rules: readonly { startTime: string; endTime: string }[],
): { first: number; last: number } {
  let first: number = USUAL_HOURS.first;
  let last: number = USUAL_HOURS.last;
  for (const e of events) {
    first = Math.min(first, e.start.getHours());
    const sameDay = e.end.toDateString() === e.start.toDateString();
    last = Math.max(last, sameDay ? Math.ceil((e.end.getHours() * 60 + e.end.getMinutes()) / 60) : 24);
  }
  for (const r of rules) {
    first = Math.min(first, Math.floor(minutesOf(r.startTime) / 60));
    last = Math.max(last, Math.ceil(minutesOf(r.endTime) / 60));
  }
  return { first, last: Math.min(last, 24) };
}
