/**
 * A background loop inside the server process: `pass` runs now, then `pollSeconds` after each pass
 * ends (never two at once); a failed pass is logged and the next one runs as usual (a database
 * restart is a fault like any other). `stop()` waits for the pass in progress.
 */
export interface Poller {
  stop(): Promise<void>;
}

export function pollEvery(
  pollSeconds: number,
  pass: () => Promise<unknown>,
  logFailure: (message: string) => void,
): Poller {
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    current = pass()
      .catch((error: unknown) => logFailure(error instanceof Error ? error.message : String(error)))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollSeconds * 1000);
      });
  };
  let timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
