/** What a bench line reports, and the exact percentile of sorted latencies. */
export interface Result {
  label: string;
  p50: number;
  p95: number;
  rps: number;
  errors: number;
  requests: number;
}

export function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
