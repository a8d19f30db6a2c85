import { eq } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { user } from "../../db/schema";
import { deleteUserSessions } from "../identity/store";
import { assertManagesUsers } from "./policies";
import { isMemberOf } from "./queries";

/** Disabling an agent closes all their sessions at once; enabling lets them log in again. */
export async function setUserDisabled(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; userId: string; disabled: boolean },
): Promise<void> {
  assertManagesUsers(ctx.actor, input.structureId);
  if (input.userId === ctx.actor.userId) throw errors.user.cannotDisableSelf();
  await deps.db.transaction(async (tx) => {
    if (!(await isMemberOf(tx, input.userId, input.structureId))) throw errors.user.notFound();
    await tx
      .update(user)
      .set({ disabledAt: input.disabled ? ctx.clock.now() : null })
      .where(eq(user.id, input.userId));
    if (input.disabled) await deleteUserSessions(tx, input.userId);
    await journalFor(tx, ctx, {
      action: input.disabled ? "user.disabled" : "user.enabled",
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
    });
  });
}
