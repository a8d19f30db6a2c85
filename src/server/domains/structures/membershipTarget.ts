import type { AuditAction } from "../../../common/audit/audit.actions";
import { errors } from "../../../common/errors";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { assertManagesUsers } from "./policies";
import { acceptedMembershipOf, holdsAdmin, wasEverMemberOf } from "./queries";

/**
 * Before a direction changes an agent's membership of its structure: the actor manages the
 * structure's users, the agent is not the actor, the agent holds or held a membership there
 * (else 404, as for an unknown id), and, once the agent accepted a membership there, is no platform
 * administrator (the same 404, so the answer does not tell an administrator's account apart;
 * journaled as a refused privilege change, on its own since the use case's transaction rolls back).
 */
export async function assertMayManageMembership(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; userId: string; action: AuditAction },
): Promise<void> {
  assertManagesUsers(ctx.actor, input.structureId);
  if (input.userId === ctx.actor.userId) throw errors.user.cannotChangeSelf();
  if (!(await wasEverMemberOf(deps.db, input.userId, input.structureId))) throw errors.user.notFound();
  // A pending invitation shows nothing of the account, so acting on it (changing or ending the
  // structure's own row, resending) answers the same for an administrator's e-mail as for any other.
  if (!(await acceptedMembershipOf(deps.db, input.userId, input.structureId))) return;
  if (await holdsAdmin(deps.db, input.userId)) {
    await journalFor(deps.db, ctx, {
      action: input.action,
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
      outcome: "denied",
      reason: "compte administrateur",
    });
    throw errors.user.notFound();
  }
}
