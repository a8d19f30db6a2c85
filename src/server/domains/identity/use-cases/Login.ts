import type { z } from "zod";
import type { loginBodySchema } from "../../../../common/auth/auth.schema";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { auditCodeWords } from "../../audit/auditReason";
import { countDeviceAttempt, trustDevice } from "../devices";
import { verifyPassword } from "../passwords";
import { type LoginRefusal, loginVerdict, normalizeEmail, requiresTotp } from "../rules";
import { openSession } from "../sessions";
import {
  findUserByEmail,
  loadMemberships,
  lockLoginAttempts,
  loginAttemptHistory,
  markLoginAttemptSucceeded,
  recordLoginAttempt,
  type SessionStage,
} from "../store";

/**
 * Password step of the login. Throttled per account+IP and per IP, and slowed down per account
 * across IPs (ADR 0002); every attempt is journaled. Opens a new session whose stage says what is
 * still needed.
 */
export async function login(
  deps: Deps,
  input: z.infer<typeof loginBodySchema>,
  meta: RequestMeta,
  deviceToken?: string,
): Promise<{ token: string; stage: SessionStage; deviceToken: string | null }> {
  const { db, clock } = deps;
  const email = normalizeEmail(input.email);
  const now = clock.now();
  const audit = { ...meta, clock, actorUserId: null };

  // Check and record in one short transaction, serialized per account and per IP: concurrent
  // attempts count each other, and those past a limit never reach argon2. No lock is held while
  // the password is checked.
  const admission = await db.transaction(async (tx): Promise<{ attemptId: number } | LoginRefusal> => {
    await lockLoginAttempts(tx, { email, ip: meta.ip });
    const history = await loginAttemptHistory(tx, { email, ip: meta.ip, now, deviceToken });
    const verdict = loginVerdict(history, now);
    if (verdict.allowed) {
      // A device cookie exempts a few attempts only, until the next completed login renews it.
      if (history.trustedDevice && deviceToken) await countDeviceAttempt(tx, deviceToken);
      return { attemptId: await recordLoginAttempt(tx, { email, ip: meta.ip, at: now }) };
    }
    await journal(tx, audit, {
      action: "auth.login",
      targetType: "account",
      targetId: email,
      outcome: "denied",
      reason: verdict.reason,
    });
    return verdict;
  });
  if ("retryAfterSeconds" in admission) throw errors.auth.tooManyAttempts(admission.retryAfterSeconds);

  const found = await findUserByEmail(db, email);
  const passwordOk = await verifyPassword(found?.passwordHash ?? null, input.password);
  if (!found || !passwordOk || found.disabledAt) {
    // The attempt stays recorded as a failure.
    await journal(
      db,
      { ...audit, actorUserId: found?.id ?? null },
      {
        action: "auth.login",
        targetType: "account",
        targetId: email,
        outcome: "failure",
        reason: found?.disabledAt && passwordOk ? "disabled" : "bad_credentials",
      },
    );
    throw errors.auth.invalidCredentials();
  }

  const memberships = await loadMemberships(db, found.id);
  const stage: SessionStage = found.totpSecret
    ? "totp_pending"
    : requiresTotp(memberships.map((m) => m.role))
      ? "enrolment_required"
      : "active";

  return db.transaction(async (tx) => {
    // The pair and the browser are trusted only once the login is complete: after the second
    // factor when there is one.
    await markLoginAttemptSucceeded(tx, admission.attemptId, stage === "active");
    const trustedDevice =
      stage === "active" ? await trustDevice(tx, { userId: found.id, now, replaces: deviceToken }) : null;
    const token = await openSession(tx, deps, { userId: found.id, stage, now, meta });
    await journal(
      tx,
      { ...audit, actorUserId: found.id },
      {
        action: "auth.login",
        targetType: "user",
        targetId: found.id,
        reason: stage === "active" ? "" : (auditCodeWords[`stage:${stage}`] ?? ""),
      },
    );
    return { token, stage, deviceToken: trustedDevice };
  });
}
