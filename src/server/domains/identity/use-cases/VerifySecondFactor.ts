import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { user } from "../../../db/schema";
import { admitCodeAttempt, type CodeAttempt, codeWasRight, codeWasWrong } from "../codeAttempts";
import { trustDevice } from "../devices";
import { hashToken, normalizeRecoveryCode } from "../rules";
import {
  answerAgain,
  type Promotion,
  promoteKeepingRetry,
  promotionOf,
  type SecondFactorCookies,
} from "../secondFactorRetry";
import { findUserById, recordTrustedLogin } from "../store";
import { matchTotp } from "../totp";
import type { AuthenticatedSession } from "./Authenticate";

/**
 * Second step of the login: a TOTP code (single use: its time step must be newer than the last
 * one used) or a recovery code (consumed). At most 5 codes are compared per pending session, even
 * when sent at once, and 10 wrong ones per account over 15 minutes across sessions. Success
 * replaces the session with a new full one and makes the account+IP pair and the browser trusted.
 * The same code sent again with the same pending cookie within SECOND_FACTOR_RETRY_SECONDS (its
 * answer was lost) gets the same full session's cookie again, nothing more (ADR 0036).
 */
export async function verifySecondFactor(
  deps: Deps,
  current: AuthenticatedSession,
  code: string,
  meta: RequestMeta,
  cookies: { session: string; device?: string | undefined },
): Promise<SecondFactorCookies> {
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
  const sentAgain = (promotion: Promotion) =>
    answerSentAgain(deps, { current, attempt, promotion, pendingToken: cookies.session, code, meta });
  const promotion = await promotionOf(db, current.tokenHash, now, deps.config.SESSION_IDLE_MINUTES);
  if (promotion) return sentAgain(promotion);

  const step = matchTotp(found.totpSecret, code.replace(/\s/g, ""), now, found.totpLastStep);
  const recoveryHash = hashToken(normalizeRecoveryCode(code));
  const recoveryOk = step === null && found.recoveryCodeHashes.includes(recoveryHash);

  const opened =
    step !== null || recoveryOk
      ? await db.transaction(async (tx) => {
          // Consumed only if still unused: the same code sent twice at once opens one session.
          if (!(await consumeCode(tx, found.id, step, recoveryHash))) return null;
          // The login is complete: this account+IP pair and this browser are now trusted (ADR 0002).
          const deviceToken = await trustDevice(tx, { userId: found.id, now, replaces: cookies.device });
          const token = await promoteKeepingRetry(tx, deps, {
            pendingToken: cookies.session,
            code,
            deviceToken,
            userId: found.id,
            now,
            meta,
          });
          await journal(tx, audit, { ...event, reason: step !== null ? "totp" : "recovery_code" });
          await recordTrustedLogin(tx, { email: found.email, ip: meta.ip, at: now });
          return { token, deviceToken };
        })
      : null;
  if (opened) {
    await codeWasRight(deps, attempt);
    return opened;
  }
  // The same code sent twice at once: the other request promoted this session meanwhile.
  const meanwhile = await promotionOf(db, current.tokenHash, now, deps.config.SESSION_IDLE_MINUTES);
  if (meanwhile) return sentAgain(meanwhile);
  return codeWasWrong(attempts, attempt, errors.auth.invalidTotp);
}

/**
 * The code of a pending session already promoted, sent again: the same code with the same cookie
 * gets the full session's cookies again (no second session, journal row nor trusted login); any
 * other code closes that way back and is answered as a pending session that no longer exists
 * (401: the password again), as every retry was before. Its attempt stays a failure of the account.
 */
async function answerSentAgain(
  deps: Deps,
  input: {
    current: AuthenticatedSession;
    attempt: CodeAttempt;
    promotion: Promotion;
    pendingToken: string;
    code: string;
    meta: RequestMeta;
  },
): Promise<SecondFactorCookies> {
  const { current } = input;
  const answer = await answerAgain(deps.db, input.promotion, input);
  if (answer) {
    await codeWasRight(deps, input.attempt);
    return { token: answer.token, deviceToken: answer.deviceToken };
  }
  await journal(
    deps.db,
    { ...input.meta, clock: deps.clock, actorUserId: current.userId },
    { action: "auth.second_factor", targetType: "user", targetId: current.userId, outcome: "failure" },
  );
  throw errors.auth.unauthenticated();
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
