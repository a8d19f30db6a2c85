import type { AuditAction } from "../../../common/audit/audit.actions";
import type { AppError } from "../../../common/errors";
import { errors } from "../../../common/errors";
import { journal } from "../../core/audit";
import type { Deps, RequestMeta } from "../../core/deps";
import { LOGIN_WINDOW_MINUTES, MAX_TOTP_FAILURES_PER_ACCOUNT, MAX_TOTP_FAILURES_PER_SESSION } from "./rules";
import {
  countRecentFailures,
  countTotpAttempt,
  deleteSession,
  lockAttempts,
  markLoginAttemptSucceeded,
  recordLoginAttempt,
  releaseTotpAttempt,
} from "./store";

/** One attempt at a second-factor code (or a proof), counted before anything is compared. */
export interface CodeAttempt {
  /** Attempts on the session so far, this one included. */
  sessionAttempts: number;
  /** The account's attempt row: a failure until `codeWasRight`. */
  accountAttemptId: number;
}

interface AttemptContext {
  deps: Deps;
  session: { tokenHash: string; userId: string };
  meta: RequestMeta;
  /** The journal's action (auth.second_factor, account.totp_replaced…). */
  action: AuditAction;
  /** What the agent sees once the session's cap is reached (the session is then closed). */
  tooMany: () => AppError;
}

const auditOf = (c: AttemptContext) => ({ ...c.meta, clock: c.deps.clock, actorUserId: c.session.userId });
const eventOf = (c: AttemptContext) => ({ action: c.action, targetType: "user", targetId: c.session.userId });

/**
 * Counts one attempt before comparing, atomically: at most MAX_TOTP_FAILURES_PER_SESSION per
 * session (at the cap the session is closed), and at most MAX_TOTP_FAILURES_PER_ACCOUNT wrong
 * codes per account over the login window, across its sessions (429 before comparing, so a
 * correct password does not buy batch after batch of guesses). A refusal is journaled.
 */
export async function admitCodeAttempt(c: AttemptContext): Promise<CodeAttempt> {
  const { db } = c.deps;
  const sessionAttempts = await countTotpAttempt(db, c.session.tokenHash, MAX_TOTP_FAILURES_PER_SESSION);
  if (sessionAttempts === null) {
    await deleteSession(db, c.session.tokenHash);
    await journal(db, auditOf(c), { ...eventOf(c), outcome: "denied", reason: "rate_limited" });
    throw c.tooMany();
  }
  const now = c.deps.clock.now();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000);
  const accountAttemptId = await db.transaction(async (tx) => {
    await lockAttempts(tx, "totp", c.session.userId);
    const failures = await countRecentFailures(tx, { kind: "totp", email: c.session.userId, since });
    if (failures >= MAX_TOTP_FAILURES_PER_ACCOUNT) {
      await journal(tx, auditOf(c), { ...eventOf(c), outcome: "denied", reason: "rate_limited_account" });
      return null;
    }
    return recordLoginAttempt(tx, { kind: "totp", email: c.session.userId, ip: c.meta.ip, at: now });
  });
  if (accountAttemptId === null) throw errors.auth.tooManyAttempts(LOGIN_WINDOW_MINUTES * 60);
  return { sessionAttempts, accountAttemptId };
}

/** The code was right: it does not count against the account. */
export async function codeWasRight(deps: Deps, attempt: CodeAttempt): Promise<void> {
  await markLoginAttemptSucceeded(deps.db, attempt.accountAttemptId);
}

/**
 * A proof of identity asked inside a full session was right: it counts neither against the account
 * nor against the session (which goes on, unlike a second-factor login that replaces it).
 */
export async function proofWasRight(c: AttemptContext, attempt: CodeAttempt): Promise<void> {
  await codeWasRight(c.deps, attempt);
  await releaseTotpAttempt(c.deps.db, c.session.tokenHash);
}

/** The code was wrong: journaled; at the session's cap the session is closed. Always throws. */
export async function codeWasWrong(
  c: AttemptContext,
  attempt: CodeAttempt,
  wrong: () => AppError,
  entry: { outcome: "denied" | "failure"; reason?: string } = { outcome: "failure" },
): Promise<never> {
  await journal(c.deps.db, auditOf(c), { ...eventOf(c), ...entry });
  if (attempt.sessionAttempts >= MAX_TOTP_FAILURES_PER_SESSION) {
    await deleteSession(c.deps.db, c.session.tokenHash);
    throw c.tooMany();
  }
  throw wrong();
}
