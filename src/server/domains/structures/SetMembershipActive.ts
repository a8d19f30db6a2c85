import { and, eq, inArray, isNull, max } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { journalFor } from "../../core/audit";
import { hasRole, type RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { membership, user } from "../../db/schema";
import { releaseCounselorPermanences } from "../agenda/counselorLeaves";
import { grantableRoles } from "./CreateUser";
import { assertMayManageMembership } from "./membershipTarget";
import { agentNameIn } from "./queries";

/**
 * The rows ended by the agent's last deactivation in the structure, and whether the agent is still
 * a current member there. Roles removed on purpose (`role_removed`) or ended by an older
 * deactivation are not part of it.
 */
async function lastDeactivation(
  tx: Db,
  userId: string,
  structureId: string,
): Promise<{ active: boolean; rows: { id: string; role: (typeof membership.$inferSelect)["role"] }[] }> {
  const ofTarget = and(eq(membership.userId, userId), eq(membership.structureId, structureId));
  const [current] = await tx
    .select({ id: membership.id })
    .from(membership)
    .where(and(ofTarget, isNull(membership.endedAt)))
    .limit(1);
  if (current) return { active: true, rows: [] };
  const [last] = await tx
    .select({ at: max(membership.endedAt) })
    .from(membership)
    .where(and(ofTarget, eq(membership.endedReason, "deactivated")));
  if (!last?.at) return { active: false, rows: [] };
  const rows = await tx
    .select({ id: membership.id, role: membership.role })
    .from(membership)
    .where(and(ofTarget, eq(membership.endedReason, "deactivated"), eq(membership.endedAt, last.at)));
  return { active: false, rows };
}

/**
 * "Désactiver dans la structure" ends every current membership row of the agent in the structure
 * (history kept, reason `deactivated`): their open sessions lose that structure at their next
 * request, the account and the other structures are untouched. "Réactiver" re-opens only the rows
 * that deactivation ended, and only roles the actor may grant; an agent still active there is a
 * 409. It never enables a disabled account. Deactivating also takes the agent out of the
 * structure's permanences from today (`releaseCounselorPermanences`), refused while planned
 * convocations would lose their slot; reactivating does not put them back (the direction does).
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
    if (input.active) {
      const ended = await lastDeactivation(tx, input.userId, input.structureId);
      if (ended.active) throw errors.user.alreadyActive();
      const grantable = grantableRoles(hasRole(ctx.actor, "admin", input.structureId));
      const reopened = ended.rows.filter((r) => grantable(r.role)).map((r) => r.id);
      if (reopened.length === 0) throw errors.user.nothingToReactivate();
      await tx
        .update(membership)
        .set({ endedAt: null, endedReason: null })
        .where(and(ofTarget, inArray(membership.id, reopened)));
    } else {
      // ADR 0016 addendum: who leaves stops holding the structure's permanences from today.
      const [named] = await tx
        .select({ name: agentNameIn(input.structureId) })
        .from(user)
        .where(eq(user.id, input.userId));
      await releaseCounselorPermanences(tx, ctx, { ...input, name: named?.name ?? "" });
      await tx
        .update(membership)
        .set({ endedAt: ctx.clock.now(), endedReason: "deactivated" })
        .where(and(ofTarget, isNull(membership.endedAt)));
    }
    await journalFor(tx, ctx, {
      action,
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
    });
  });
}
