import type { z } from "zod";
import type { loginBodySchema } from "../../../../common/auth/auth.schema";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { verifyPassword } from "../passwords";
import { isLoginThrottled, normalizeEmail, requiresTotp } from "../rules";
import { openSession } from "../sessions";
import {
  countRecentFailures,
  findUserByEmail,
  loadMemberships,
  recordLoginAttempt,
  type SessionStage,
} from "../store";

/**
 * Password step of the login. Throttled per account+IP and per IP over a sliding window; every
 * attempt is journaled. Opens a new session whose stage says what is still needed.
 */
export async function login(
  deps: Deps,
  input: z.infer<typeof loginBodySchema>,
  meta: RequestMeta,
): Promise<{ token: string; stage: SessionStage }> {
  const { db, clock } = deps;
  const email = normalizeEmail(input.email);
  const now = clock.now();
  const audit = { ...meta, clock, actorUserId: null };

  const failures = await countRecentFailures(db, { email, ip: meta.ip, now });
  if (isLoginThrottled(failures)) {
    await journal(db, audit, {
      action: "auth.login",
      targetType: "account",
      targetId: email,
      outcome: "denied",
      reason: "rate_limited",
    });
    throw errors.auth.tooManyAttempts();
  }

  const found = await findUserByEmail(db, email);
  const passwordOk = await verifyPassword(found?.passwordHash ?? null, input.password);
  if (!found || !passwordOk || found.disabledAt) {
    await db.transaction(async (tx) => {
      await recordLoginAttempt(tx, { email, ip: meta.ip, success: false, at: now });
      await journal(
        tx,
        { ...audit, actorUserId: found?.id ?? null },
        {
          action: "auth.login",
          targetType: "account",
          targetId: email,
          outcome: "failure",
          reason: found?.disabledAt && passwordOk ? "disabled" : "bad_credentials",
        },
      );
    });
    throw errors.auth.invalidCredentials();
  }

  const memberships = await loadMemberships(db, found.id);
  const stage: SessionStage = found.totpSecret
    ? "totp_pending"
    : requiresTotp(memberships.map((m) => m.role))
      ? "enrolment_required"
      : "active";

  return db.transaction(async (tx) => {
    await recordLoginAttempt(tx, { email, ip: meta.ip, success: true, at: now });
    const token = await openSession(tx, deps, { userId: found.id, stage, now, meta });
    await journal(
      tx,
      { ...audit, actorUserId: found.id },
      {
        action: "auth.login",
        targetType: "user",
        targetId: found.id,
        reason: stage === "active" ? "" : `stage:${stage}`,
      },
    );
    return { token, stage };
  });
}
