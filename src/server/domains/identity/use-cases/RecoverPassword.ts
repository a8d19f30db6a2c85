import { and, eq, gt, isNull } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { session, user } from "../../../db/schema";
import { hashPassword } from "../passwords";
import { hashToken, LOGIN_WINDOW_MINUTES, MAX_RECOVERY_FAILURES_PER_IP, passwordProblem } from "../rules";
import { lockedIpFailures, markLoginAttemptSucceeded, recordLoginAttempt } from "../store";

/** Counts a try at a recovery link from this IP before the token is looked up (as for activation links). */
async function admitRecovery(deps: Deps, meta: RequestMeta, now: Date): Promise<number> {
  const admitted = await deps.db.transaction(async (tx) => {
    const failures = await lockedIpFailures(tx, "recovery", meta.ip, now);
    if (failures >= MAX_RECOVERY_FAILURES_PER_IP) return null;
    if (failures === MAX_RECOVERY_FAILURES_PER_IP - 1)
      await journal(
        tx,
        { ...meta, clock: deps.clock, actorUserId: null },
        { action: "account.password_recovered", outcome: "denied", reason: "rate_limited" },
      );
    return recordLoginAttempt(tx, { kind: "recovery", email: "", ip: meta.ip, at: now });
  });
  if (admitted === null) throw errors.auth.tooManyAttempts(LOGIN_WINDOW_MINUTES * 60);
  return admitted;
}

/**
 * The agent chooses a new password with the one-time link of their "mot de passe oublié" e-mail:
 * it works once, within the hour, for an account that is not disabled. Every session of the account
 * is closed; a temporary password given by the direction is replaced (no change asked any more). The
 * second factor is untouched: the next sign-in asks for it as usual. Throttled per IP.
 */
export async function recoverPassword(
  deps: Deps,
  input: { token: string; password: string },
  meta: RequestMeta,
): Promise<void> {
  const now = deps.clock.now();
  const attemptId = await admitRecovery(deps, meta, now);
  const tokenHash = hashToken(input.token);
  const valid = and(
    eq(user.recoveryTokenHash, tokenHash),
    gt(user.recoveryExpiresAt, now),
    isNull(user.disabledAt),
  );
  const [found] = await deps.db.select({ id: user.id, email: user.email }).from(user).where(valid);
  if (!found) throw errors.auth.invalidRecovery();
  // A valid link: not an attempt at guessing, whatever the password's fate.
  await markLoginAttemptSucceeded(deps.db, attemptId);
  const problem = passwordProblem(input.password, { email: found.email });
  if (problem) throw errors.auth.weakPassword(problem);
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(user)
      .set({
        passwordHash,
        passwordChangedAt: now,
        mustChangePassword: false,
        recoveryTokenHash: null,
        recoveryExpiresAt: null,
      })
      .where(and(eq(user.id, found.id), valid))
      .returning({ id: user.id });
    if (!updated) throw errors.auth.invalidRecovery();
    await tx.delete(session).where(eq(session.userId, found.id));
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: found.id },
      {
        action: "account.password_recovered",
        targetType: "user",
        targetId: found.id,
        reason: "sessions fermées ; double authentification inchangée",
      },
    );
  });
}
