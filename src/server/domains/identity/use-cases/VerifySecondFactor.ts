import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { user } from "../../../db/schema";
import { admitCodeAttempt, codeWasRight, codeWasWrong } from "../codeAttempts";
import { trustDevice } from "../devices";
import { hashToken, normalizeRecoveryCode } from "../rules";
import { promoteSession } from "../sessions";
import { findUserById, recordTrustedLogin } from "../store";
import { matchTotp } from "../totp";
import type { AuthenticatedSession } from "./Authenticate";

/**
 * Second step of the login: a TOTP code (single use: its time step must be newer than the last
 * one used) or a recovery code (consumed). At most 5 codes are compared per pending session, even
 * when sent at once, and 10 wrong ones per account over 15 minutes across sessions. Success
 * replaces the session with a new full one and makes the account+IP pair and the browser trusted.
 */
export async function verifySecondFactor(
  deps: Deps,
  current: AuthenticatedSession,
  code: string,
  meta: RequestMeta,
  deviceToken?: string,
): Promise<{ token: string; deviceToken: string }> {
  if (current.stage !== "totp_pending") throw errors.auth.wrongStage();
  const { db, clock } = deps;
  const now = clock.now();
  const audit = { ...meta, clock, actorUserId: current.userId };
  const event = { action: "auth.second_factor" as const, targetType: "user", targetId: current.userId };
  const found = await findUserById(db, current.userId);
  if (!found?.totpSecret) throw errors.auth.wrongStage();

  // Counted before comparing: codes sent at once beyond a cap are not compared.
  const attempts = {
    deps,
    session: current,
    meta,
    action: event.action,
    tooMany: () => errors.auth.tooManyAttempts(),
  };
  const attempt = await admitCodeAttempt(attempts);

  const step = matchTotp(found.totpSecret, code.replace(/\s/g, ""), now, found.totpLastStep);
  const recoveryHash = hashToken(normalizeRecoveryCode(code));
  const recoveryOk = step === null && found.recoveryCodeHashes.includes(recoveryHash);

  const opened =
    step !== null || recoveryOk
      ? await db.transaction(async (tx) => {
          // Consumed only if still unused: the same code sent twice at once opens one session.
          if (!(await consumeCode(tx, found.id, step, recoveryHash))) return null;
          const opened = await promoteSession(tx, deps, {
            oldTokenHash: current.tokenHash,
            userId: found.id,
            now,
            meta,
          });
          await journal(tx, audit, { ...event, reason: step !== null ? "totp" : "recovery_code" });
          // The login is complete: this account+IP pair and this browser are now trusted (ADR 0002).
          await recordTrustedLogin(tx, { email: found.email, ip: meta.ip, at: now });
          const device = await trustDevice(tx, { userId: found.id, now, replaces: deviceToken });
          return { token: opened, deviceToken: device };
        })
      : null;
  if (opened) {
    await codeWasRight(deps, attempt);
    return opened;
  }
  return codeWasWrong(attempts, attempt, errors.auth.invalidTotp);
}

/** Marks a TOTP step as used, or removes a recovery code, unless another request just did. */
async function consumeCode(
  tx: Db,
  userId: string,
  step: number | null,
  recoveryHash: string,
): Promise<boolean> {
  const consumed =
    step !== null
      ? await tx
          .update(user)
          .set({ totpLastStep: step })
          .where(and(eq(user.id, userId), or(isNull(user.totpLastStep), lt(user.totpLastStep, step))))
          .returning({ id: user.id })
      : await tx
          .update(user)
          .set({ recoveryCodeHashes: sql`array_remove(${user.recoveryCodeHashes}, ${recoveryHash})` })
          .where(and(eq(user.id, userId), sql`${recoveryHash} = any(${user.recoveryCodeHashes})`))
          .returning({ id: user.id });
  return consumed.length > 0;
}
