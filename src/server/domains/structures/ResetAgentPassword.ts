import { randomInt } from "node:crypto";
import { and, eq, isNotNull, isNull, ne } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { journalFor } from "../../core/audit";
import { hasRole, type RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { membership, session, user } from "../../db/schema";
import { hashPassword } from "../identity/passwords";
import { assertMayManageMembership } from "./membershipTarget";

/** No letters that read alike (0/O, 1/l/I): the agent types it from what the direction tells them. */
const ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** 4 groups of 5 characters (about 115 bits): "k7Qm2-vXp9d-…". Used once, changed at sign-in. */
export function temporaryPassword(): string {
  const group = () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return [group(), group(), group(), group()].join("-");
}

/**
 * "Réinitialiser le mot de passe": a temporary password for an agent of the structure, shown once
 * to the direction (never to an administrator), to be changed at the next sign-in (every page waits for it; the second factor
 * is still asked). Never oneself (409), never an administrator's account nor another structure's
 * agent (404, as an unknown id), only an agent active in the structure who signed in once (409);
 * an account that also serves another structure, or is invited there (the next sign-in would
 * accept the invitation), is left to an administrator (409). The agent's
 * sessions are all closed. Journaled, without the password.
 */
export async function resetAgentPassword(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; userId: string },
): Promise<{ temporaryPassword: string }> {
  // The direction of the structure only, not an administrator (ADR 0016 addendum).
  if (!hasRole(ctx.actor, "service_manager", input.structureId)) throw errors.access.forbidden();
  await assertMayManageMembership(deps, ctx, { ...input, action: "account.password_reset" });
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  await deps.db.transaction(async (tx) => {
    const current = and(
      eq(membership.userId, input.userId),
      isNull(membership.endedAt),
      isNotNull(membership.acceptedAt),
    );
    const here = await tx
      .select({ id: membership.id })
      .from(membership)
      .innerJoin(user, eq(user.id, membership.userId))
      .where(and(current, eq(membership.structureId, input.structureId), isNull(user.disabledAt)));
    if (here.length === 0) throw errors.user.notSignedInYet();
    // Another structure's invitation counts too, pending or not: the next sign-in accepts it, so
    // whoever knew the temporary password would be let into that structure's files.
    const elsewhere = await tx
      .select({ id: membership.id })
      .from(membership)
      .where(
        and(
          eq(membership.userId, input.userId),
          isNull(membership.endedAt),
          ne(membership.structureId, input.structureId),
        ),
      );
    if (elsewhere.length > 0) throw errors.user.resetElsewhere();
    await tx
      .update(user)
      .set({ passwordHash, mustChangePassword: true, passwordChangedAt: ctx.clock.now() })
      .where(eq(user.id, input.userId));
    await tx.delete(session).where(eq(session.userId, input.userId));
    await journalFor(tx, ctx, {
      action: "account.password_reset",
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
      reason: "mot de passe provisoire, à changer à la prochaine connexion ; sessions fermées",
    });
  });
  return { temporaryPassword: password };
}
