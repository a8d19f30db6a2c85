import type { SessionView } from "../../../../common/auth/auth.schema";
import { errors } from "../../../../common/errors";
import type { Deps } from "../../../core/deps";
import { requiresTotp } from "../rules";
import { findUserById, loadMemberships } from "../store";
import type { AuthenticatedSession } from "./Authenticate";

export async function getSessionView(deps: Deps, current: AuthenticatedSession): Promise<SessionView> {
  const found = await findUserById(deps.db, current.userId);
  if (!found) throw errors.auth.unauthenticated();
  const memberships = await loadMemberships(deps.db, found.id);
  return {
    user: { id: found.id, email: found.email, displayName: found.displayName },
    stage: current.stage,
    csrfToken: current.csrfToken,
    // Before the second factor, the session says nothing about the agent's structures.
    memberships: current.stage === "active" ? memberships : [],
    totpEnabled: found.totpSecret !== null,
    totpRequired: requiresTotp(memberships.map((m) => m.role)),
    recoveryCodesLeft: found.recoveryCodeHashes.length,
    mustChangePassword: found.mustChangePassword,
  };
}
