import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { deleteSession } from "../store";
import type { AuthenticatedSession } from "./Authenticate";

export async function logout(deps: Deps, current: AuthenticatedSession, meta: RequestMeta): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await deleteSession(tx, current.tokenHash);
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: current.userId },
      {
        action: "auth.logout",
        targetType: "user",
        targetId: current.userId,
      },
    );
  });
}
