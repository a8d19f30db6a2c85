import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Runs `work` while a timer asks for a turn every 10 ms, and returns the longest wait between two
 * turns: how long `work` kept the event loop (every other request waited that long). Work done
 * synchronously, before its promise is even returned, counts too.
 */
export async function longestPause<T>(
  work: () => Promise<T> | T,
): Promise<{ result: T; longestMs: number; totalMs: number; gaveTurns: boolean; seen: string }> {
  const turns: number[] = [performance.now()];
  const timer = setInterval(() => turns.push(performance.now()), 10);
  try {
    const result = await work();
    // The turn that follows the work closes its last pause.
    await sleep(30);
    const longestMs = Math.max(...turns.slice(1).map((at, i) => at - turns[i]!));
    const totalMs = performance.now() - turns[0]!;
    return {
      result,
      longestMs,
      totalMs,
      gaveTurns: gaveTurns(longestMs, totalMs),
      seen: `longest pause ${Math.round(longestMs)} ms of ${Math.round(totalMs)} ms`,
    };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Whether work let other requests in: no pause over 250 ms, or, on a machine so loaded that every
 * step is slower, no single pause over 30 % of the whole. Work that keeps the loop in one go (the
 * defect these tests guard against) pauses for nearly all of its time, so it fails both.
 */
export function gaveTurns(longestMs: number, totalMs: number): boolean {
  return longestMs < 250 || longestMs / totalMs < 0.3;
}
