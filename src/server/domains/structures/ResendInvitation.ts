import { and, eq, isNull } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { membership, structure, user } from "../../db/schema";
import { accountNotices, sendAccountNotice } from "../identity/accountNotices";
import { belongsElsewhere } from "./CreateUser";
import { assertMayManageMembership } from "./membershipTarget";

/**
 * "Renvoyer l'invitation", for an agent of the structure who has not signed in since being added.
 * An account never activated that belongs to no other structure gets a new activation e-mail (the
 * worker mints a new link when it sends it; the older one stops working); any other gets the
 * "added to the structure" notice again, so the answer never tells the two apart. An accepted
 * membership is a 409. Journaled.
 */
export async function resendInvitation(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; userId: string },
): Promise<void> {
  await assertMayManageMembership(deps, ctx, { ...input, action: "membership.invitation_resent" });
  await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ email: user.email, pendingActivation: user.activationTokenHash, place: structure.name })
      .from(membership)
      .innerJoin(user, eq(user.id, membership.userId))
      .innerJoin(structure, eq(structure.id, membership.structureId))
      .where(
        and(
          eq(membership.userId, input.userId),
          eq(membership.structureId, input.structureId),
          isNull(membership.endedAt),
          isNull(membership.acceptedAt),
        ),
      )
      .limit(1);
    if (!found) throw errors.user.invitationAccepted();
    const activation =
      found.pendingActivation !== null && !(await belongsElsewhere(tx, input.userId, input.structureId));
    await sendAccountNotice(tx, {
      structureId: input.structureId,
      to: { id: input.userId, email: found.email },
      message: activation
        ? accountNotices.activation({ structureName: found.place })
        : accountNotices.addedToStructure({ structureName: found.place, publicUrl: deps.config.PUBLIC_URL }),
      now: ctx.clock.now(),
    });
    await journalFor(tx, ctx, {
      action: "membership.invitation_resent",
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
    });
  });
}
