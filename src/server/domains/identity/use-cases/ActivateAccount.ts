import { and, eq, gt } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { user } from "../../../db/schema";
import { trustDevice } from "../devices";
import { hashPassword } from "../passwords";
import { hashToken, LOGIN_WINDOW_MINUTES, MAX_ACTIVATION_FAILURES_PER_IP, passwordProblem } from "../rules";
import {
  acceptInvitations,
  lockedIpFailures,
  markLoginAttemptSucceeded,
  recordLoginAttempt,
  recordTrustedLogin,
} from "../store";

/**
 * Counts an activation attempt from this IP before the token is looked up, atomically (advisory
 * lock): past the cap, 429 without looking. Invalid links are not journaled one by one (a flood
 * would fill the journal): the attempt that reaches the cap is, once per window and IP.
 */
async function admitActivation(deps: Deps, meta: RequestMeta, now: Date): Promise<number> {
  const admitted = await deps.db.transaction(async (tx) => {
    const failures = await lockedIpFailures(tx, "activation", meta.ip, now);
    if (failures >= MAX_ACTIVATION_FAILURES_PER_IP) return null;
    if (failures === MAX_ACTIVATION_FAILURES_PER_IP - 1)
      await journal(
        tx,
        { ...meta, clock: deps.clock, actorUserId: null },
        { action: "account.activated", outcome: "denied", reason: "rate_limited" },
      );
    return recordLoginAttempt(tx, { kind: "activation", email: "", ip: meta.ip, at: now });
  });
  if (admitted === null) throw errors.auth.tooManyAttempts(LOGIN_WINDOW_MINUTES * 60);
  return admitted;
}

/**
 * A new agent chooses their password with the one-time link of their activation e-mail. The link
 * works once, until it expires; the account then logs in as any other (a disabled one does not).
 * Activating accepts the structures' invitations, and trusts the account+IP pair and the browser
 * (its device cookie), so others' failures do not slow down the agent's first login. Throttled per IP.
 */
export async function activateAccount(
  deps: Deps,
  input: { token: string; password: string },
  meta: RequestMeta,
  deviceToken?: string,
): Promise<{ deviceToken: string }> {
  const now = deps.clock.now();
  const attemptId = await admitActivation(deps, meta, now);
  const tokenHash = hashToken(input.token);
  const [found] = await deps.db
    .select({ id: user.id, email: user.email })
    .from(user)
    .where(and(eq(user.activationTokenHash, tokenHash), gt(user.activationExpiresAt, now)));
  if (!found) throw errors.auth.invalidActivation();
  // A valid link: not an attempt at guessing, whatever the password's fate.
  await markLoginAttemptSucceeded(deps.db, attemptId);
  const problem = passwordProblem(input.password, { email: found.email });
  if (problem) throw errors.auth.weakPassword(problem);
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(user)
      .set({ passwordHash, passwordChangedAt: now, activationTokenHash: null, activationExpiresAt: null })
      .where(and(eq(user.id, found.id), eq(user.activationTokenHash, tokenHash)))
      .returning({ id: user.id });
    if (!updated) throw errors.auth.invalidActivation();
    await acceptInvitations(tx, found.id, now);
    await recordTrustedLogin(tx, { email: found.email, ip: meta.ip, at: now });
    const device = await trustDevice(tx, { userId: found.id, now, replaces: deviceToken });
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: found.id },
      { action: "account.activated", targetType: "user", targetId: found.id },
    );
    return { deviceToken: device };
  });
}
