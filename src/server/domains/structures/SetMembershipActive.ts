import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { membership } from "../../db/schema";
import { assertMayManageMembership } from "./membershipTarget";

/**
 * "Désactiver dans la structure" ends every current membership row of the agent in the structure
 * (history kept): their open sessions lose that structure at their next request, the account and
 * the other structures are untouched. Re-activating re-opens the rows ended; it never enables a
 * disabled account.
 */
export async function setMembershipActive(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; userId: string; active: boolean },
): Promise<void> {
  const action = input.active ? "membership.reactivated" : "membership.ended";
  await assertMayManageMembership(deps, ctx, { ...input, action });
  await deps.db.transaction(async (tx) => {
    const ofTarget = and(eq(membership.userId, input.userId), eq(membership.structureId, input.structureId));
    await tx
      .update(membership)
      .set({ endedAt: input.active ? null : ctx.clock.now() })
      .where(and(ofTarget, input.active ? isNotNull(membership.endedAt) : isNull(membership.endedAt)));
    await journalFor(tx, ctx, {
      action,
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
    });
  });
}
