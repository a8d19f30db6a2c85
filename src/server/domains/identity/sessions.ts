import type { Deps, RequestMeta } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { acceptInvitations, createSession, type SessionStage } from "./store";

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
