import type { Deps, RequestMeta } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { acceptInvitations, createSession, deleteSession, type SessionStage } from "./store";

/** Opens a session for the user at this stage, with the configured absolute lifetime. */
export async function openSession(
  db: Db,
  deps: Deps,
  input: {
    userId: string;
    stage: SessionStage;
    now: Date;
    meta: RequestMeta;
    proconnectIdToken?: string | null;
  },
): Promise<string> {
  const { token } = await createSession(db, {
    userId: input.userId,
    stage: input.stage,
    now: input.now,
    absoluteHours: deps.config.SESSION_ABSOLUTE_HOURS,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    proconnectIdToken: input.proconnectIdToken ?? null,
  });
  // A signed-in agent has accepted the structures that added them.
  if (input.stage === "active") await acceptInvitations(db, input.userId, input.now);
  return token;
}

/**
 * A session that passed its second factor is replaced by a new, full one (new token), which keeps
 * the ProConnect ID token of a ProConnect login (for its logout).
 */
export async function promoteSession(
  db: Db,
  deps: Deps,
  input: { oldTokenHash: string; userId: string; now: Date; meta: RequestMeta },
): Promise<string> {
  const { proconnectIdToken } = await deleteSession(db, input.oldTokenHash);
  return openSession(db, deps, {
    userId: input.userId,
    stage: "active",
    now: input.now,
    meta: input.meta,
    proconnectIdToken,
  });
}
