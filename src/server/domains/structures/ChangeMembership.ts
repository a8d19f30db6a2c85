import { and, eq, isNotNull, isNull, notInArray } from "drizzle-orm";
import type { MembershipBody } from "../../../common/structures/structures.schema";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { membership, user } from "../../db/schema";
import { releaseCounselorPermanences } from "../agenda/counselorLeaves";
import { assertGrantable, grantRoles } from "./CreateUser";
import { assertMayManageMembership } from "./membershipTarget";

/** The agent's employer service in the structure, from their memberships there. */
async function currentService(tx: Db, userId: string, structureId: string): Promise<string | null> {
  const [row] = await tx
    .select({ serviceId: membership.serviceId })
    .from(membership)
    .where(
      and(
        eq(membership.userId, userId),
        eq(membership.structureId, structureId),
        isNotNull(membership.serviceId),
      ),
    )
    .limit(1);
  return row?.serviceId ?? null;
}

/**
 * Replaces the agent's roles (and service) in the structure: roles no longer held are ended,
 * new ones granted. Only the memberships of that structure change. One transaction; journaled.
 */
export async function changeMembership(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; userId: string } & MembershipBody,
): Promise<void> {
  await assertMayManageMembership(deps, ctx, { ...input, action: "membership.changed" });
  await deps.db.transaction(async (tx) => {
    const serviceId =
      input.serviceId !== undefined
        ? input.serviceId
        : await currentService(tx, input.userId, input.structureId);
    await assertGrantable(tx, ctx, input.structureId, { roles: input.roles, serviceId });
    // Who is no longer a counselor here stops holding the structure's permanences from today, as a
    // deactivation does (ADR 0016 addendum): refused while planned convocations would lose their slot.
    if (!input.roles.includes("counselor")) await releaseIfCounselor(tx, ctx, input);
    await tx
      .update(membership)
      .set({ endedAt: ctx.clock.now(), endedReason: "role_removed" })
      .where(
        and(
          eq(membership.userId, input.userId),
          eq(membership.structureId, input.structureId),
          isNull(membership.endedAt),
          notInArray(membership.role, input.roles),
        ),
      );
    await grantRoles(tx, { ...input, serviceId, now: ctx.clock.now() });
    await journalFor(tx, ctx, {
      action: "membership.changed",
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
      reason: input.roles.join(","),
    });
  });
}

/** Takes an agent who holds the counselor role in the structure out of its permanences from today. */
export async function releaseIfCounselor(
  tx: Db,
  ctx: RequestContext,
  input: { structureId: string; userId: string },
): Promise<void> {
  const [counselor] = await tx
    .select({ name: user.displayName })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(
      and(
        eq(membership.userId, input.userId),
        eq(membership.structureId, input.structureId),
        eq(membership.role, "counselor"),
        isNull(membership.endedAt),
      ),
    )
    .limit(1);
  if (counselor) await releaseCounselorPermanences(tx, ctx, { ...input, name: counselor.name });
}
