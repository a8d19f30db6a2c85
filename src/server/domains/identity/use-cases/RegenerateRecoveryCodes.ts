import { eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { user } from "../../../db/schema";
import { proveIdentity } from "../proof";
import { hashToken, newRecoveryCodes, normalizeRecoveryCode } from "../rules";
import { findUserById } from "../store";
import type { AuthenticatedSession } from "./Authenticate";
import { noticeSecondFactorChange } from "./EnrolTotp";

/** New recovery codes replace the old ones, on proof of identity; shown once, journaled, e-mailed. */
export async function regenerateRecoveryCodes(
  deps: Deps,
  current: AuthenticatedSession,
  proof: string,
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[] }> {
  const found = await findUserById(deps.db, current.userId);
  if (!found) throw errors.auth.unauthenticated();
  if (!found.totpSecret) throw errors.auth.totpNotStarted();
  const action = "account.recovery_codes_regenerated";
  const proved = await proveIdentity(deps, current, found, proof, { ...meta, action });
  const recoveryCodes = newRecoveryCodes();
  return deps.db.transaction(async (tx) => {
    await tx
      .update(user)
      .set({
        recoveryCodeHashes: recoveryCodes.map((c) => hashToken(normalizeRecoveryCode(c))),
        ...(proved.kind === "totp" ? { totpLastStep: proved.step } : {}),
      })
      .where(eq(user.id, found.id));
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: found.id },
      { action, targetType: "user", targetId: found.id, reason: proved.kind },
    );
    await noticeSecondFactorChange(
      tx,
      deps,
      found,
      "De nouveaux codes de secours ont été créés pour votre compte ; les anciens ne valent plus.",
    );
    return { recoveryCodes };
  });
}
