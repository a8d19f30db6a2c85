import { and, eq } from "drizzle-orm";
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
import { answerAgain, type Promotion, promoteKeepingRetry, promotionOf } from "../secondFactorRetry";
import { findUserById, recordTrustedLogin } from "../store";
import { matchTotp, newTotpSecret, totpUri } from "../totp";
import type { AuthenticatedSession } from "./Authenticate";

/** A session that has not passed its second factor may not (re)enrol one: that would bypass it. */
function assertMayEnrol(current: AuthenticatedSession): void {
  if (current.stage === "totp_pending") throw errors.auth.secondFactorRequired();
}

/** The waiting session an enrolment already turned into a full one (ADR 0036), if it is. */
const promotionOfWaiting = (deps: Deps, current: AuthenticatedSession) =>
  current.stage === "enrolment_required"
    ? promotionOf(deps.db, current.tokenHash, deps.clock.now(), deps.config.SESSION_IDLE_MINUTES)
    : null;

/** Step 1: a new secret, kept as pending until a first code confirms it. */
export async function startTotpEnrolment(
  deps: Deps,
  current: AuthenticatedSession,
): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> {
  assertMayEnrol(current);
  // Kept only to answer its code again: for anything else it is gone, as it was before (ADR 0036).
  if (await promotionOfWaiting(deps, current)) throw errors.auth.unauthenticated();
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
 * A session that was waiting for enrolment becomes a full session (new token); the same code sent
 * again with its cookie within SECOND_FACTOR_RETRY_SECONDS (the answer was lost) gets the same
 * session, device cookie and recovery codes again, nothing more (ADR 0036).
 */
export async function confirmTotpEnrolment(
  deps: Deps,
  current: AuthenticatedSession,
  input: { code: string; proof?: string | undefined },
  meta: RequestMeta,
  cookies: { session: string; device?: string | undefined },
): Promise<{ recoveryCodes: string[]; newToken: string | null; deviceToken: string | null }> {
  assertMayEnrol(current);
  const sentAgain = async (promotion: Promotion) => {
    const answer = await answerAgain(deps.db, promotion, { pendingToken: cookies.session, code: input.code });
    if (!answer?.recoveryCodes) throw errors.auth.unauthenticated();
    return { recoveryCodes: answer.recoveryCodes, newToken: answer.token, deviceToken: answer.deviceToken };
  };
  const promotion = await promotionOfWaiting(deps, current);
  if (promotion) return sentAgain(promotion);
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
  const done = await deps.db.transaction(async (tx) => {
    // Turned on only if still pending: the same code sent twice at once enrols once.
    const switched = await tx
      .update(user)
      .set({
        totpSecret: pendingSecret,
        totpPendingSecret: null,
        totpLastStep: step,
        recoveryCodeHashes: recoveryCodes.map((c) => hashToken(normalizeRecoveryCode(c))),
      })
      .where(and(eq(user.id, found.id), eq(user.totpPendingSecret, pendingSecret)))
      .returning({ id: user.id });
    if (switched.length === 0) return null;
    const completesLogin = current.stage === "enrolment_required";
    const device = completesLogin
      ? await trustDevice(tx, { userId: found.id, now, replaces: cookies.device })
      : null;
    const newToken = device
      ? await promoteKeepingRetry(tx, deps, {
          pendingToken: cookies.session,
          code: input.code,
          deviceToken: device,
          userId: found.id,
          now,
          meta,
          recoveryCodes,
        })
      : null;
    if (completesLogin) await recordTrustedLogin(tx, { email: found.email, ip: meta.ip, at: now });
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
  if (done) return done;
  // The same code sent twice at once: the other request enrolled (and promoted) meanwhile.
  const meanwhile = await promotionOfWaiting(deps, current);
  if (meanwhile) return sentAgain(meanwhile);
  throw errors.auth.totpNotStarted();
}
