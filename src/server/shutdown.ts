/**
 * Graceful shutdown of the server process (ADR 0026): at SIGTERM or SIGINT the server stops
 * accepting connections, lets the requests in flight and the message or job in progress finish,
 * hands back its claims, closes the database and exits 0. A second signal, or `timeoutMs` without
 * having finished, exits at once with status 1 (what is still claimed comes back when its lease lapses).
 */
export interface Stoppable {
  close(): Promise<void>;
}

export interface ShutdownOptions {
  timeoutMs: number;
  log: (line: string) => void;
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

export function closeOnSignals(server: Stoppable, options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      options.log(`Arrêt forcé (${signal} reçu pendant l'arrêt) / forced exit`);
      exit(1);
      return;
    }
    closing = true;
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
