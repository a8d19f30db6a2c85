/** Small-count protection: an aggregate between 1 and 4 is hidden (null, shown as "< 5"). */
export const SMALL_COUNT_THRESHOLD = 5;

export function protectCount(n: number): number | null {
  return n > 0 && n < SMALL_COUNT_THRESHOLD ? null : n;
}
