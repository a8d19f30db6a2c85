import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { user } from "../../../db/schema";
import { hashToken, MAX_TOTP_FAILURES_PER_SESSION, normalizeRecoveryCode } from "../rules";
import { promoteSession } from "../sessions";
import { countTotpAttempt, deleteSession, findUserById } from "../store";
import { matchTotp } from "../totp";
import type { AuthenticatedSession } from "./Authenticate";

/**
 * Second step of the login: a TOTP code (single use: its time step must be newer than the last
 * one used) or a recovery code (consumed). At most 5 codes are compared per pending session, even
 * when sent at once. Success replaces the session with a new full one.
 */
export async function verifySecondFactor(
  deps: Deps,
  current: AuthenticatedSession,
  code: string,
  meta: RequestMeta,
): Promise<{ token: string }> {
  if (current.stage !== "totp_pending") throw errors.auth.wrongStage();
  const { db, clock } = deps;
  const now = clock.now();
  const audit = { ...meta, clock, actorUserId: current.userId };
  const event = { action: "auth.second_factor", targetType: "user", targetId: current.userId };
  const found = await findUserById(db, current.userId);
  if (!found?.totpSecret) throw errors.auth.wrongStage();

  // Counted before comparing, in one statement: codes sent at once beyond the cap are not compared.
  const attempts = await countTotpAttempt(db, current.tokenHash, MAX_TOTP_FAILURES_PER_SESSION);
  if (attempts === null) {
    await deleteSession(db, current.tokenHash);
    await journal(db, audit, { ...event, outcome: "denied", reason: "rate_limited" });
    throw errors.auth.tooManyAttempts();
  }

  const step = matchTotp(found.totpSecret, code.replace(/\s/g, ""), now, found.totpLastStep);
  const recoveryHash = hashToken(normalizeRecoveryCode(code));
  const recoveryOk = step === null && found.recoveryCodeHashes.includes(recoveryHash);

  const token =
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
          return opened;
        })
      : null;
  if (token) return { token };

  await journal(db, audit, { ...event, outcome: "failure" });
  if (attempts >= MAX_TOTP_FAILURES_PER_SESSION) {
    await deleteSession(db, current.tokenHash);
    throw errors.auth.tooManyAttempts();
  }
  throw errors.auth.invalidTotp();
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
