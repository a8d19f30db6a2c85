import { and, eq, gt } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { user } from "../../../db/schema";
import { hashPassword } from "../passwords";
import { hashToken, passwordProblem } from "../rules";

/**
 * A new agent chooses their password with the one-time link of their activation e-mail. The link
 * works once, until it expires; the account then logs in as any other (a disabled one does not).
 */
export async function activateAccount(
  deps: Deps,
  input: { token: string; password: string },
  meta: RequestMeta,
): Promise<void> {
  const now = deps.clock.now();
  const tokenHash = hashToken(input.token);
  const [found] = await deps.db
    .select({ id: user.id, email: user.email })
    .from(user)
    .where(and(eq(user.activationTokenHash, tokenHash), gt(user.activationExpiresAt, now)));
  const audit = { ...meta, clock: deps.clock, actorUserId: found?.id ?? null };
  if (!found) {
    await journal(deps.db, audit, {
      action: "account.activated",
      outcome: "denied",
      reason: "lien invalide",
    });
    throw errors.auth.invalidActivation();
  }
  const problem = passwordProblem(input.password, { email: found.email });
  if (problem) throw errors.auth.weakPassword(problem);
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(user)
      .set({ passwordHash, passwordChangedAt: now, activationTokenHash: null, activationExpiresAt: null })
      .where(and(eq(user.id, found.id), eq(user.activationTokenHash, tokenHash)))
      .returning({ id: user.id });
    if (!updated) throw errors.auth.invalidActivation();
    await journal(tx, audit, { action: "account.activated", targetType: "user", targetId: found.id });
  });
}
