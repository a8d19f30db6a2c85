import { eq } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { openingRule, openingRuleCounselor, user } from "../../db/schema";
import { releaseCounselorPermanences } from "../agenda/counselorLeaves";
import { deleteUserSessions } from "../identity/store";
import { isPlatformAdmin } from "./policies";

/**
 * A platform administrator disables an account for every structure (all its sessions are closed
 * at once) or enables it again. Nobody else may; a refusal is journaled. Disabling also takes the
 * agent out of the permanences she holds from today, in each structure, as a deactivation does
 * (`releaseCounselorPermanences`, ADR 0016 addendum « disabled account »): refused (409, the
 * convocations listed) while planned convocations would lose their slot. Enabling again does not
 * put her back in them.
 */
export async function setAccountDisabled(
  deps: Deps,
  ctx: RequestContext,
  input: { userId: string; disabled: boolean },
): Promise<void> {
  const action = input.disabled ? "account.disabled" : "account.enabled";
  if (!isPlatformAdmin(ctx.actor)) {
    await journalFor(deps.db, ctx, {
      action,
      targetType: "user",
      targetId: input.userId,
      outcome: "denied",
      reason: "réservé aux administrateurs",
    });
    throw errors.access.forbidden();
  }
  if (input.userId === ctx.actor.userId) throw errors.user.cannotChangeSelf();
  await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .update(user)
      .set({ disabledAt: input.disabled ? ctx.clock.now() : null })
      .where(eq(user.id, input.userId))
      .returning({ id: user.id, name: user.displayName });
    if (!found) throw errors.user.notFound();
    if (input.disabled) {
      const pools = await tx
        .selectDistinct({ structureId: openingRule.structureId })
        .from(openingRuleCounselor)
        .innerJoin(openingRule, eq(openingRule.id, openingRuleCounselor.ruleId))
        .where(eq(openingRuleCounselor.userId, input.userId));
      for (const { structureId } of pools)
        await releaseCounselorPermanences(tx, ctx, { structureId, userId: input.userId, name: found.name });
    }
    if (input.disabled) await deleteUserSessions(tx, input.userId);
    await journalFor(tx, ctx, { action, targetType: "user", targetId: input.userId });
  });
}
