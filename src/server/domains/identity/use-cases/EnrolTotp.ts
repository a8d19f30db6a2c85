import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { user } from "../../../db/schema";
import { accountNotices, noticeStructureOf, sendAccountNotice } from "../accountNotices";
import { trustDevice } from "../devices";
import { proveIdentity } from "../proof";
import { hashToken, newRecoveryCodes, normalizeRecoveryCode } from "../rules";
import { promoteSession } from "../sessions";
import { findUserById, recordTrustedLogin } from "../store";
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

/** The agent is told by e-mail (no secret in it) whenever their second factor changes. */
export async function noticeSecondFactorChange(
  tx: Db,
  deps: Deps,
  to: { id: string; email: string },
  what: string,
): Promise<void> {
  // Queued under a structure whose membership the agent accepted: a current one first, else the
  // last ended one (an agent with no current membership is told too). Never under a pending
  // invitation, whose structure must not learn anything of the account. A notice belongs to a
  // structure; an account that accepted none has not signed in since being added (a sign-in accepts
  // every pending invitation), so it cannot be here: nothing is queued then.
  const structureId = await noticeStructureOf(tx, to.id);
  if (!structureId) return;
  await sendAccountNotice(tx, {
    structureId,
    to,
    message: accountNotices.secondFactorChanged({ publicUrl: deps.config.PUBLIC_URL, what }),
    now: deps.clock.now(),
  });
}

/**
 * Step 2: a valid code turns the pending secret on and returns 10 recovery codes, shown once.
 * Replacing a second factor already on needs a proof (password, current code or recovery code).
 * A session that was waiting for enrolment becomes a full session (new token).
 */
export async function confirmTotpEnrolment(
  deps: Deps,
  current: AuthenticatedSession,
  input: { code: string; proof?: string | undefined },
  meta: RequestMeta,
  deviceToken?: string,
): Promise<{ recoveryCodes: string[]; newToken: string | null; deviceToken: string | null }> {
  assertMayEnrol(current);
  const found = await findUserById(deps.db, current.userId);
  if (!found) throw errors.auth.unauthenticated();
  if (!found.totpPendingSecret) throw errors.auth.totpNotStarted();
  const replacing = found.totpSecret !== null;
  const now = deps.clock.now();
  const step = matchTotp(found.totpPendingSecret, input.code, now, null);
  if (step === null) throw errors.auth.invalidTotp();
  const proof = replacing
    ? await proveIdentity(deps, current, found, input.proof, { ...meta, action: "account.totp_replaced" })
    : null;
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
    const completesLogin = current.stage === "enrolment_required";
    const newToken = completesLogin
      ? await promoteSession(tx, deps, { oldTokenHash: current.tokenHash, userId: found.id, now, meta })
      : null;
    if (completesLogin) await recordTrustedLogin(tx, { email: found.email, ip: meta.ip, at: now });
    const device = completesLogin
      ? await trustDevice(tx, { userId: found.id, now, replaces: deviceToken })
      : null;
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: found.id },
      {
        action: replacing ? "account.totp_replaced" : "account.totp_enabled",
        targetType: "user",
        targetId: found.id,
        reason: proof?.kind ?? "",
      },
    );
    await noticeSecondFactorChange(
      tx,
      deps,
      found,
      replacing
        ? "Votre application de double authentification vient d'être remplacée et de nouveaux codes de secours ont été créés."
        : "La double authentification vient d'être activée sur votre compte.",
    );
    return { recoveryCodes, newToken, deviceToken: device };
  });
}
