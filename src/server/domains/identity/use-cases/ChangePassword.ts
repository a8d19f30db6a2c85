import { and, eq, ne } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { session, user } from "../../../db/schema";
import { hashPassword, verifyPassword } from "../passwords";
import { passwordProblem } from "../rules";
import { findUserById } from "../store";
import type { AuthenticatedSession } from "./Authenticate";

/** Changes the password and closes the user's other sessions. */
export async function changePassword(
  deps: Deps,
  current: AuthenticatedSession,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const found = await findUserById(deps.db, current.userId);
  if (!found) throw errors.auth.unauthenticated();
  if (!(await verifyPassword(found.passwordHash, input.currentPassword))) {
    throw errors.auth.wrongCurrentPassword();
  }
  const problem = passwordProblem(input.newPassword, { email: found.email });
  if (problem) throw errors.auth.weakPassword(problem);
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(user)
      .set({ passwordHash, passwordChangedAt: deps.clock.now() })
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
