import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { auditEvent, membership, structure, user } from "../../db/schema";
import { accountNotices, sendAccountNotice } from "../identity/accountNotices";
import { belongsElsewhere } from "./CreateUser";
import { assertMayManageMembership } from "./membershipTarget";

const PER_AGENT = { max: 1, windowMs: 10 * 60_000 };
const PER_STRUCTURE = { max: 10, windowMs: 60 * 60_000 };

/**
 * At most one resend per agent every 10 minutes and 10 per structure an hour, counted on the
 * journal: a direction can neither flood an address nor keep invalidating an agent's link.
 */
async function assertResendAllowed(
  tx: Db,
  input: { structureId: string; userId: string },
  now: Date,
): Promise<void> {
  const resends = (windowMs: number, userId?: string) =>
    tx
      .select({ at: auditEvent.at })
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.action, "membership.invitation_resent"),
          eq(auditEvent.outcome, "success"),
          eq(auditEvent.structureId, input.structureId),
          userId ? eq(auditEvent.targetId, userId) : undefined,
          gt(auditEvent.at, new Date(now.getTime() - windowMs)),
        ),
      )
      .orderBy(desc(auditEvent.at));
  for (const [limit, userId] of [
    [PER_AGENT, input.userId],
    [PER_STRUCTURE, undefined],
  ] as const) {
    const recent = await resends(limit.windowMs, userId);
    const oldestCounted = recent[limit.max - 1];
    if (oldestCounted) {
      const retryMs = oldestCounted.at.getTime() + limit.windowMs - now.getTime();
      throw errors.user.tooManyResends(Math.max(1, Math.ceil(retryMs / 1000)));
    }
  }
}

/**
 * "Renvoyer l'invitation", for an agent of the structure who has not signed in since being added.
 * An account never activated that belongs to no other structure gets a new activation e-mail (the
 * worker mints a new link when it sends it; the older one stops working); any other gets the
 * "added to the structure" notice again, so the answer never tells the two apart. An accepted
 * membership is a 409; too many resends a 429. Journaled.
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
      .limit(1)
      // Locks the invitation and the structure: concurrent resends are counted one after the other.
      .for("no key update");
    if (!found) throw errors.user.invitationAccepted();
    await assertResendAllowed(tx, input, ctx.clock.now());
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
