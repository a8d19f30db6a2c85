import { errors } from "../../../common/errors";
import { journal } from "../../core/audit";
import type { Deps, RequestMeta } from "../../core/deps";
import { verifyPassword } from "./passwords";
import { hashToken, MAX_TOTP_FAILURES_PER_SESSION, normalizeRecoveryCode } from "./rules";
import { deleteSession, type findUserById, incrementTotpFailures } from "./store";
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
  const now = deps.clock.now();
  const compact = proof.replace(/\s/g, "");
  if (found.totpSecret && /^\d{6}$/.test(compact)) {
    const step = matchTotp(found.totpSecret, compact, now, found.totpLastStep);
    if (step !== null) return { kind: "totp", step };
  } else if (found.recoveryCodeHashes.includes(hashToken(normalizeRecoveryCode(proof)))) {
    return { kind: "recovery_code" };
  } else if (await verifyPassword(found.passwordHash, proof)) {
    return { kind: "password" };
  }
  const failures = await incrementTotpFailures(deps.db, current.tokenHash);
  await journal(
    deps.db,
    { ...meta, clock: deps.clock, actorUserId: found.id },
    {
      action: meta.action,
      targetType: "user",
      targetId: found.id,
      outcome: "denied",
      reason: "preuve incorrecte",
    },
  );
  if (failures >= MAX_TOTP_FAILURES_PER_SESSION) {
    await deleteSession(deps.db, current.tokenHash);
    throw errors.auth.tooManyProofAttempts();
  }
  throw errors.auth.wrongProof();
}
