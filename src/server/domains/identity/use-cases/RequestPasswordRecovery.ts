import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { noticeStructureOf, recoveryNotice, sendAccountNotice } from "../accountNotices";
import {
  MAX_RECOVERY_MAILS_PER_ACCOUNT,
  MAX_RECOVERY_REQUESTS_PER_IP,
  normalizeEmail,
  RECOVERY_WINDOW_MINUTES,
  throttleKey,
} from "../rules";
import { countRecentFailures, findUserByEmail, lockAttempts, recordLoginAttempt } from "../store";

/**
 * The answer never leaves sooner than this after the request arrived: the few milliseconds that
 * queuing an e-mail takes (measured: ~3 ms on PGlite) do not tell a known address from an unknown one.
 */
export const RECOVERY_ANSWER_FLOOR_MS = 120;

/**
 * "Mot de passe oublié": queues an e-mail whose one-time link (valid 1 hour) the notifications
 * worker mints when it sends it — no usable token is ever stored, logged or journaled. The answer
 * is the same whether the address is known or not, and so is its timing (one short transaction, the
 * e-mail leaves later, and a floor on the answer time): nothing tells who has an account. Throttled per IP
 * (429 past the cap, whatever the address) and per account (past the cap, the same answer and
 * nothing sent). A disabled account, or one never activated, gets nothing.
 */
export async function requestPasswordRecovery(
  deps: Deps,
  input: { email: string },
  meta: RequestMeta,
): Promise<void> {
  const started = performance.now();
  try {
    await queueRecovery(deps, input, meta);
  } finally {
    const left = RECOVERY_ANSWER_FLOOR_MS - (performance.now() - started);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }
}

async function queueRecovery(deps: Deps, input: { email: string }, meta: RequestMeta): Promise<void> {
  const email = normalizeEmail(input.email);
  const now = deps.clock.now();
  const since = new Date(now.getTime() - RECOVERY_WINDOW_MINUTES * 60_000);
  const found = await findUserByEmail(deps.db, email);
  const refused = await deps.db.transaction(async (tx) => {
    await lockAttempts(tx, "recovery_request", `ip:${throttleKey(meta.ip)}`);
    await lockAttempts(tx, "recovery_request", `account:${email}`);
    const fromIp = await countRecentFailures(tx, { kind: "recovery_request", ip: meta.ip, since });
    if (fromIp >= MAX_RECOVERY_REQUESTS_PER_IP) return true;
    const forAccount = await countRecentFailures(tx, { kind: "recovery_request", email, since });
    await recordLoginAttempt(tx, { kind: "recovery_request", email, ip: meta.ip, at: now });
    const audit = { ...meta, clock: deps.clock, actorUserId: null };
    if (fromIp === MAX_RECOVERY_REQUESTS_PER_IP - 1)
      await journal(tx, audit, {
        action: "account.password_reset_requested",
        outcome: "denied",
        reason: "rate_limited",
      });
    if (!found) return false;
    const event = {
      action: "account.password_reset_requested" as const,
      targetType: "user",
      targetId: found.id,
    };
    if (found.disabledAt || found.activationTokenHash) {
      await journal(tx, audit, {
        ...event,
        outcome: "denied",
        reason: found.disabledAt ? "disabled" : "not_activated",
      });
      return false;
    }
    if (forAccount >= MAX_RECOVERY_MAILS_PER_ACCOUNT) {
      await journal(tx, audit, { ...event, outcome: "denied", reason: "rate_limited_account" });
      return false;
    }
    const structureId = await noticeStructureOf(tx, found.id);
    if (!structureId) return false;
    await sendAccountNotice(tx, { structureId, to: found, message: recoveryNotice, now });
    await journal(tx, audit, { ...event, structureId, reason: "lien envoyé par courriel, valable 1 heure" });
    return false;
  });
  if (refused) throw errors.auth.tooManyAttempts(RECOVERY_WINDOW_MINUTES * 60);
}
