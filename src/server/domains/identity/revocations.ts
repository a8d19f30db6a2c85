import { journal } from "../../core/audit";
import type { Deps, RequestMeta } from "../../core/deps";
import { deleteSession } from "./store";

/**
 * Logouts the database could not record (ADR 0002, "Logout while the database is down"): the
 * browser's cookie is already cleared, the session row is deleted — and the logout journaled — once
 * the database answers again. Until then a request still carrying that token is treated as signed
 * out. Kept in memory: a restart forgets them, and the row then ends at its idle timeout.
 */
export interface PendingRevocations {
  remember(tokenHash: string, meta: RequestMeta): void;
  /** True while the session's deletion waits for the database. */
  has(tokenHash: string): boolean;
  /** Deletes the remembered sessions; those the database still refuses are kept for the next try. */
  retry(): Promise<void>;
  stop(): void;
}

export function pendingRevocations(deps: Deps, everyMs = 15_000): PendingRevocations {
  const pending = new Map<string, RequestMeta>();
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  const retry = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (const [tokenHash, meta] of [...pending]) {
        try {
          await deps.db.transaction(async (tx) => {
            const deleted = await deleteSession(tx, tokenHash);
            if (deleted.userId)
              await journal(
                tx,
                { ...meta, clock: deps.clock, actorUserId: deleted.userId },
                { action: "auth.logout", targetType: "user", targetId: deleted.userId, reason: "deferred" },
              );
          });
        } catch {
          break; // the database still cannot answer: the rest waits for the next try
        }
        pending.delete(tokenHash);
      }
    } finally {
      running = false;
      if (pending.size === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    }
  };

  return {
    remember(tokenHash, meta) {
      pending.set(tokenHash, meta);
      if (!timer && everyMs > 0) {
        timer = setInterval(() => void retry(), everyMs);
        timer.unref();
      }
    },
    has: (tokenHash) => pending.has(tokenHash),
    retry,
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
