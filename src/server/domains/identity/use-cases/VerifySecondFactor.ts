import { eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { user } from "../../../db/schema";
import { hashToken, MAX_TOTP_FAILURES_PER_SESSION, normalizeRecoveryCode } from "../rules";
import { promoteSession } from "../sessions";
import { deleteSession, findUserById, incrementTotpFailures } from "../store";
import { matchTotp } from "../totp";
import type { AuthenticatedSession } from "./Authenticate";

/**
 * Second step of the login: a TOTP code (single use: its time step must be newer than the last
 * one used) or a recovery code (consumed). Success replaces the session with a new full one.
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
  const found = await findUserById(db, current.userId);
  if (!found?.totpSecret) throw errors.auth.wrongStage();

  const step = matchTotp(found.totpSecret, code.replace(/\s/g, ""), now, found.totpLastStep);
  const recoveryHash = hashToken(normalizeRecoveryCode(code));
  const recoveryOk = step === null && found.recoveryCodeHashes.includes(recoveryHash);

  if (step === null && !recoveryOk) {
    const failures = await incrementTotpFailures(db, current.tokenHash);
    await journal(db, audit, {
      action: "auth.second_factor",
      targetType: "user",
      targetId: found.id,
      outcome: "failure",
    });
    if (failures >= MAX_TOTP_FAILURES_PER_SESSION) {
      await deleteSession(db, current.tokenHash);
      throw errors.auth.tooManyAttempts();
    }
    throw errors.auth.invalidTotp();
  }

  return db.transaction(async (tx) => {
    await tx
      .update(user)
      .set(
        step !== null
          ? { totpLastStep: step }
          : { recoveryCodeHashes: found.recoveryCodeHashes.filter((h) => h !== recoveryHash) },
      )
      .where(eq(user.id, found.id));
    const token = await promoteSession(tx, deps, {
      oldTokenHash: current.tokenHash,
      userId: found.id,
      now,
      meta,
    });
    await journal(tx, audit, {
      action: "auth.second_factor",
      targetType: "user",
      targetId: found.id,
      reason: step !== null ? "totp" : "recovery_code",
    });
    return { token };
  });
}
