import { messageForLog } from "./dbErrors";

/**
 * A background loop inside the server process: `pass` runs now, then `pollSeconds` after each pass
 * ends (never two at once); a failed pass is logged and the next one runs as usual (a database
 * restart is a fault like any other). `stop()` aborts the pass's signal (a pass checks it between
 * units of work, and hands back what it had claimed) and waits for the pass in progress.
 */
export interface Poller {
  stop(): Promise<void>;
  /** True from the start until `stop()` is called (the readiness probe reads it). */
  running(): boolean;
}

export function pollEvery(
  pollSeconds: number,
  pass: (signal: AbortSignal) => Promise<unknown>,
  /** The failed pass's message (a failed query's parameters cut), and the error itself. */
  logFailure: (message: string, error: unknown) => void,
): Poller {
  const stopping = new AbortController();
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopping.signal.aborted) return;
    current = pass(stopping.signal)
      .catch((error: unknown) => logFailure(messageForLog(error), error))
      .finally(() => {
        if (!stopping.signal.aborted) timer = setTimeout(tick, pollSeconds * 1000);
      });
  };
  let timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopping.abort();
      clearTimeout(timer);
      await current;
    },
    running: () => !stopping.signal.aborted,
  };
}
