/**
 * Graceful shutdown of the server process (ADR 0026): at SIGTERM or SIGINT the server stops
 * accepting connections, lets the requests in flight and the message or job in progress finish,
 * hands back its claims, closes the database and exits 0. A second signal, or `timeoutMs` without
 * having finished, exits at once with status 1 (what is still claimed comes back when its lease lapses).
 *
 * A signal repeated within `duplicateWindowMs` (1 s) is the same stop delivered twice, not an
 * operator insisting: `npm run start:prod` under systemd (which signals the whole control group) or
 * Ctrl-C in a terminal (the whole process group) reaches the server directly AND through npm, which
 * forwards SIGTERM and SIGINT to its script. It is logged and ignored.
 */
export interface Stoppable {
  close(): Promise<void>;
}

export interface ShutdownOptions {
  timeoutMs: number;
  log: (line: string) => void;
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
  /** A second signal within this time after the first is a duplicate delivery (default 1000 ms). */
  duplicateWindowMs?: number;
  now?: () => number;
}

export function closeOnSignals(server: Stoppable, options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? Date.now;
  const duplicateWindowMs = options.duplicateWindowMs ?? 1000;
  let closingSince: number | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closingSince !== null) {
      if (now() - closingSince < duplicateWindowMs) {
        options.log(`${signal} reçu en double, ignoré (arrêt en cours) / duplicate signal ignored`);
        return;
      }
      options.log(`Arrêt forcé (${signal} reçu pendant l'arrêt) / forced exit`);
      exit(1);
      return;
    }
    closingSince = now();
    options.log(`Arrêt demandé (${signal}) : fin des requêtes en cours / shutdown started`);
    setTimeout(() => {
      options.log(`Arrêt forcé après ${options.timeoutMs} ms / shutdown timed out`);
      exit(1);
    }, options.timeoutMs).unref();
    server.close().then(
      () => {
        options.log("Arrêt terminé / shutdown complete");
        exit(0);
      },
      (error: unknown) => {
        options.log(`Arrêt en erreur / shutdown failed: ${error instanceof Error ? error.message : error}`);
        exit(1);
      },
    );
  };
  for (const signal of options.signals ?? ["SIGTERM", "SIGINT"]) process.on(signal, onSignal);
}
