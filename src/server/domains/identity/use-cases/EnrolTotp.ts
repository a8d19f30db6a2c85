import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { user } from "../../../db/schema";
import { hashToken, newRecoveryCodes, normalizeRecoveryCode } from "../rules";
import { promoteSession } from "../sessions";
import { findUserById } from "../store";
import { matchTotp, newTotpSecret, totpUri } from "../totp";
import type { AuthenticatedSession } from "./Authenticate";

/** A session that has not passed its second factor may not (re)enrol one: that would bypass it. */
function assertMayEnrol(current: AuthenticatedSession): void {
  if (current.stage === "totp_pending") throw errors.auth.secondFactorRequired();
}

/** Step 1: a new secret, kept as pending until a first code confirms it. */
export async function startTotpEnrolment(
  deps: Deps,
  current: AuthenticatedSession,
): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> {
  assertMayEnrol(current);
  const found = await findUserById(deps.db, current.userId);
  if (!found) throw errors.auth.unauthenticated();
  const secret = newTotpSecret();
  await deps.db.update(user).set({ totpPendingSecret: secret }).where(eq(user.id, found.id));
  const otpauthUri = totpUri(secret, found.email);
  const qrSvg = await QRCode.toString(otpauthUri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { secret, otpauthUri, qrSvg };
}

/**
 * Step 2: a valid code turns the pending secret on and returns 10 recovery codes, shown once.
 * A session that was waiting for enrolment becomes a full session (new token).
 */
export async function confirmTotpEnrolment(
  deps: Deps,
  current: AuthenticatedSession,
  code: string,
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[]; newToken: string | null }> {
  assertMayEnrol(current);
  const found = await findUserById(deps.db, current.userId);
  if (!found) throw errors.auth.unauthenticated();
  if (!found.totpPendingSecret) throw errors.auth.totpNotStarted();
  const now = deps.clock.now();
  const step = matchTotp(found.totpPendingSecret, code, now, null);
  if (step === null) throw errors.auth.invalidTotp();
  const recoveryCodes = newRecoveryCodes();
  const pendingSecret = found.totpPendingSecret;
  return deps.db.transaction(async (tx) => {
    await tx
      .update(user)
      .set({
        totpSecret: pendingSecret,
        totpPendingSecret: null,
        totpLastStep: step,
        recoveryCodeHashes: recoveryCodes.map((c) => hashToken(normalizeRecoveryCode(c))),
      })
      .where(eq(user.id, found.id));
    const newToken =
      current.stage === "enrolment_required"
        ? await promoteSession(tx, deps, { oldTokenHash: current.tokenHash, userId: found.id, now, meta })
        : null;
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: found.id },
      {
        action: "account.totp_enabled",
        targetType: "user",
        targetId: found.id,
      },
    );
    return { recoveryCodes, newToken };
  });
}
