import { and, eq, ne } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { session, user } from "../../../db/schema";
import { admitCodeAttempt, codeWasWrong, proofWasRight } from "../codeAttempts";
import { hashPassword, verifyPassword } from "../passwords";
import { passwordProblem } from "../rules";
import { findUserById } from "../store";
import type { AuthenticatedSession } from "./Authenticate";

/**
 * Changes the password and closes the user's other sessions. The current password is a proof of
 * identity: counted before it is compared, with the same caps as the other proofs (5 per session,
 * then the session is closed; 10 wrong ones per account in 15 minutes), wrong ones journaled.
 */
export async function changePassword(
  deps: Deps,
  current: AuthenticatedSession,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const found = await findUserById(deps.db, current.userId);
  if (!found) throw errors.auth.unauthenticated();
  const attempts = {
    deps,
    session: current,
    meta,
    action: "account.password_changed" as const,
    tooMany: errors.auth.tooManyProofAttempts,
  };
  const attempt = await admitCodeAttempt(attempts);
  if (!(await verifyPassword(found.passwordHash, input.currentPassword))) {
    await codeWasWrong(attempts, attempt, errors.auth.wrongCurrentPassword, {
      outcome: "denied",
      reason: "wrong_current_password",
    });
  }
  await proofWasRight(attempts, attempt);
  // A temporary password the direction saw must not stay the account's: a change is a change.
  if (input.newPassword === input.currentPassword) {
    throw errors.auth.weakPassword("Choisissez un mot de passe différent de l'actuel.");
  }
  const problem = passwordProblem(input.newPassword, { email: found.email });
  if (problem) throw errors.auth.weakPassword(problem);
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(user)
      .set({ passwordHash, passwordChangedAt: deps.clock.now(), mustChangePassword: false })
      .where(eq(user.id, found.id));
    await tx
      .delete(session)
      .where(and(eq(session.userId, found.id), ne(session.tokenHash, current.tokenHash)));
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: found.id },
      {
        action: "account.password_changed",
        targetType: "user",
        targetId: found.id,
      },
    );
  });
}
