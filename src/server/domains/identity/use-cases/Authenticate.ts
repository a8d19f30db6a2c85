import { errors } from "../../../../common/errors";
import type { Actor } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { isSessionAlive, requiresTotp } from "../rules";
import { deleteSession, findSession, requireEnrolment, type SessionStage, touchSession } from "../store";

export interface AuthenticatedSession {
  tokenHash: string;
  userId: string;
  stage: SessionStage;
  csrfToken: string;
  /** Signed in with a temporary password given by the direction: a new one is due first. */
  mustChangePassword: boolean;
  actor: Actor;
}

/** Last-seen is written at most once a minute, to keep reads cheap. */
const TOUCH_EVERY_MS = 60_000;

/** Resolves a session cookie; expired (idle or absolute) or disabled sessions are deleted. */
export async function authenticate(deps: Deps, token: string | undefined): Promise<AuthenticatedSession> {
  if (!token) throw errors.auth.unauthenticated();
  // The session, its agent and their memberships in one statement (before every request).
  const session = await findSession(deps.db, token);
  if (!session) throw errors.auth.unauthenticated();
  const now = deps.clock.now();
  if (session.disabled || !isSessionAlive(session, now, deps.config.SESSION_IDLE_MINUTES)) {
    await deleteSession(deps.db, session.tokenHash);
    throw errors.auth.unauthenticated();
  }
  const { actor } = session;
  // A role that needs a second factor, granted while the agent was signed in without one, applies
  // to the open session too: it waits for the enrolment like a new login would.
  let stage = session.stage;
  if (stage === "active" && !session.hasTotp && requiresTotp(actor.memberships.map((m) => m.role))) {
    await requireEnrolment(deps.db, session.tokenHash);
    stage = "enrolment_required";
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await touchSession(deps.db, session.tokenHash, now);
  }
  return {
    tokenHash: session.tokenHash,
    userId: session.userId,
    stage,
    csrfToken: session.csrfToken,
    mustChangePassword: session.mustChangePassword,
    actor,
  };
}
