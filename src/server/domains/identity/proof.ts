import type { AuditAction } from "../../../common/audit/audit.actions";
import { errors } from "../../../common/errors";
import type { Deps, RequestMeta } from "../../core/deps";
import { admitCodeAttempt, codeWasWrong, proofWasRight } from "./codeAttempts";
import { verifyPassword } from "./passwords";
import { hashToken, normalizeRecoveryCode } from "./rules";
import type { findUserById } from "./store";
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
  meta: RequestMeta & { action: AuditAction },
): Promise<Proof> {
  if (!proof) throw errors.auth.proofRequired();
  const attempts = {
    deps,
    session: current,
    meta,
    action: meta.action,
    tooMany: errors.auth.tooManyProofAttempts,
  };
  const attempt = await admitCodeAttempt(attempts);
  const proved = await checkProof(deps, found, proof);
  if (proved) {
    await proofWasRight(attempts, attempt);
    return proved;
  }
  return codeWasWrong(attempts, attempt, errors.auth.wrongProof, {
    outcome: "denied",
    reason: "preuve incorrecte",
  });
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
