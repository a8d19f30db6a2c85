import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { deleteSession } from "../store";
import type { AuthenticatedSession } from "./Authenticate";

/** Ends the session; a ProConnect login's ID token is returned, to end ProConnect's session too. */
export async function logout(
  deps: Deps,
  current: AuthenticatedSession,
  meta: RequestMeta,
): Promise<{ proconnectIdToken: string | null }> {
  return deps.db.transaction(async (tx) => {
    const deleted = await deleteSession(tx, current.tokenHash);
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: current.userId },
      {
        action: "auth.logout",
        targetType: "user",
        targetId: current.userId,
        reason: deleted.proconnectIdToken ? "proconnect" : "",
      },
    );
    return deleted;
  });
}
