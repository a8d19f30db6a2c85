import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Runs `work` while a timer asks for a turn every 10 ms, and returns the longest wait between two
 * turns: how long `work` kept the event loop (every other request waited that long). Work done
 * synchronously, before its promise is even returned, counts too.
 */
export async function longestPause<T>(work: () => Promise<T> | T): Promise<{ result: T; longestMs: number }> {
  const turns: number[] = [performance.now()];
  const timer = setInterval(() => turns.push(performance.now()), 10);
  try {
    const result = await work();
    // The turn that follows the work closes its last pause.
    await sleep(30);
    const longestMs = Math.max(...turns.slice(1).map((at, i) => at - turns[i]!));
    return { result, longestMs };
  } finally {
    clearInterval(timer);
  }
}
