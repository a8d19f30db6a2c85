import { errors } from "../../../common/errors";
import { journal } from "../../core/audit";
import type { Deps, RequestMeta } from "../../core/deps";
import { verifyPassword } from "./passwords";
import { hashToken, MAX_TOTP_FAILURES_PER_SESSION, normalizeRecoveryCode } from "./rules";
import { countTotpAttempt, deleteSession, type findUserById, releaseTotpAttempt } from "./store";
import { matchTotp } from "./totp";
import type { AuthenticatedSession } from "./use-cases/Authenticate";

type UserRow = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

/** What proved the agent's identity: the step of a TOTP code, a recovery code, or the password. */
export type Proof = { kind: "totp"; step: number } | { kind: "recovery_code" } | { kind: "password" };

/**
 * Before the second factor changes, the agent proves who they are again: their current password,
 * a current TOTP code or a recovery code. A wrong proof is journaled and counts towards the
 * session's cap of second-factor failures; at the cap the session is closed.
 */
export async function proveIdentity(
  deps: Deps,
  current: AuthenticatedSession,
  found: UserRow,
  proof: string | undefined,
  meta: RequestMeta & { action: string },
): Promise<Proof> {
  if (!proof) throw errors.auth.proofRequired();
  const audit = { ...meta, clock: deps.clock, actorUserId: found.id };
  const event = { action: meta.action, targetType: "user", targetId: found.id, outcome: "denied" as const };
  // Counted before anything is compared, so concurrent wrong proofs cannot exceed the cap.
  const attempts = await countTotpAttempt(deps.db, current.tokenHash, MAX_TOTP_FAILURES_PER_SESSION);
  if (attempts === null) {
    await deleteSession(deps.db, current.tokenHash);
    await journal(deps.db, audit, { ...event, reason: "rate_limited" });
    throw errors.auth.tooManyProofAttempts();
  }
  const proved = await checkProof(deps, found, proof);
  if (proved) {
    await releaseTotpAttempt(deps.db, current.tokenHash);
    return proved;
  }
  await journal(deps.db, audit, { ...event, reason: "preuve incorrecte" });
  if (attempts >= MAX_TOTP_FAILURES_PER_SESSION) {
    await deleteSession(deps.db, current.tokenHash);
    throw errors.auth.tooManyProofAttempts();
  }
  throw errors.auth.wrongProof();
}

async function checkProof(deps: Deps, found: UserRow, proof: string): Promise<Proof | null> {
  const compact = proof.replace(/\s/g, "");
  if (found.totpSecret && /^\d{6}$/.test(compact)) {
    const step = matchTotp(found.totpSecret, compact, deps.clock.now(), found.totpLastStep);
    return step === null ? null : { kind: "totp", step };
  }
  if (found.recoveryCodeHashes.includes(hashToken(normalizeRecoveryCode(proof)))) {
    return { kind: "recovery_code" };
  }
  return (await verifyPassword(found.passwordHash, proof)) ? { kind: "password" } : null;
}
