import { timingSafeEqual } from "node:crypto";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import { auditCodeWords } from "../../audit/auditReason";
import type { ProConnectClient, ProConnectIdentity } from "../proconnect/client";
import {
  assertsSecondFactor,
  type ProConnectRefusal,
  refusalOfError,
  refusalPage,
} from "../proconnect/rules";
import { consumeLogin } from "../proconnect/store";
import { normalizeEmail, requiresTotp } from "../rules";
import { openSession } from "../sessions";
import { findUserByEmail, loadMemberships, type SessionStage } from "../store";

export type ProConnectOutcome =
  | { kind: "signed_in"; token: string; stage: SessionStage; location: string }
  | { kind: "refused"; reason: ProConnectRefusal; location: string };

class Refused extends Error {
  constructor(
    readonly reason: ProConnectRefusal,
    readonly actorUserId: string | null = null,
    /** The e-mail ProConnect gave, when the refusal is about that account. */
    readonly email = "",
  ) {
    super(reason);
  }
}

function sameState(fromCookie: string | undefined, fromQuery: string | undefined): boolean {
  if (!fromCookie || !fromQuery) return false;
  const a = Buffer.from(fromCookie);
  const b = Buffer.from(fromQuery);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The callback of a ProConnect login (ADR 0023). The state must be this browser's (its cookie) and
 * a login still under way, consumed here once; openid-client then checks PKCE, the ID token's
 * signature (RS256), issuer, audience, dates and nonce, and reads the signed user info. The agent
 * is the existing account of that e-mail (never created here), not disabled; the second factor is
 * asked unless ProConnect asserts one. Every outcome is journaled, with a reason code for refusals
 * and never a token.
 */
export async function completeProConnectLogin(
  deps: Deps,
  client: ProConnectClient,
  input: { callbackUrl: URL; cookieState: string | undefined },
  meta: RequestMeta,
): Promise<ProConnectOutcome> {
  const audit = { ...meta, clock: deps.clock };
  try {
    const identity = await checkedIdentity(deps, client, input);
    return await signIn(deps, identity, meta);
  } catch (error) {
    const refusal = error instanceof Refused ? error : new Refused(refusalOfError(error));
    await journal(
      deps.db,
      { ...audit, actorUserId: refusal.actorUserId },
      {
        action: "auth.proconnect",
        targetType: "account",
        targetId: refusal.email,
        outcome: "denied",
        reason: refusal.reason,
      },
    );
    return { kind: "refused", reason: refusal.reason, location: refusalPage(refusal.reason) };
  }
}

async function checkedIdentity(
  deps: Deps,
  client: ProConnectClient,
  input: { callbackUrl: URL; cookieState: string | undefined },
): Promise<ProConnectIdentity> {
  const state = input.callbackUrl.searchParams.get("state") ?? undefined;
  if (input.callbackUrl.searchParams.has("error")) throw new Refused("provider_error");
  if (!sameState(input.cookieState, state)) throw new Refused("state_mismatch");
  const login = await consumeLogin(deps.db, state as string, deps.clock.now());
  if (!login) throw new Refused("state_unknown");
  const identity = await client.complete(input.callbackUrl, { state: state as string, ...login });
  if (!identity.email) throw new Refused("email_missing");
  if (identity.emailVerified === false)
    throw new Refused("email_unverified", null, normalizeEmail(identity.email));
  return identity;
}

async function signIn(
  deps: Deps,
  identity: ProConnectIdentity,
  meta: RequestMeta,
): Promise<ProConnectOutcome> {
  const email = normalizeEmail(identity.email ?? "");
  const found = await findUserByEmail(deps.db, email);
  if (!found) throw new Refused("unknown_account", null, email);
  if (found.disabledAt) throw new Refused("disabled", found.id, email);
  const memberships = await loadMemberships(deps.db, found.id);
  const secondFactorAsserted = assertsSecondFactor(identity.amr, identity.acr);
  const stage: SessionStage = secondFactorAsserted
    ? "active"
    : found.totpSecret
      ? "totp_pending"
      : requiresTotp(memberships.map((m) => m.role))
        ? "enrolment_required"
        : "active";
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const token = await openSession(tx, deps, {
      userId: found.id,
      stage,
      now,
      meta,
      proconnectIdToken: identity.idToken,
    });
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: found.id },
      {
        action: "auth.proconnect",
        targetType: "user",
        targetId: found.id,
        reason: [secondFactorAsserted ? "mfa" : "", stage === "active" ? "" : `stage:${stage}`]
          .filter(Boolean)
          .map((code) => auditCodeWords[code] ?? code)
          .join(", "),
      },
    );
    return { kind: "signed_in" as const, token, stage, location: "/" };
  });
}
