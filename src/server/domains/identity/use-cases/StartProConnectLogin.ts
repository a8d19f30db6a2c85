import * as oidc from "openid-client";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import type { ProConnectClient } from "../proconnect/client";
import { refusalPage } from "../proconnect/rules";
import { saveLogin } from "../proconnect/store";

/**
 * First leg of a ProConnect login (ADR 0023): a new state, nonce and PKCE verifier (43 characters
 * each, 256 random bits), kept server-side for 10 minutes; the browser keeps the state in a cookie
 * and is sent to ProConnect. When ProConnect cannot be reached (its discovery fails), the browser
 * goes to a page that says so, and the failure is journaled.
 */
export async function startProConnectLogin(
  deps: Deps,
  client: ProConnectClient,
  meta: RequestMeta,
): Promise<{ state: string | null; location: string }> {
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  let location: string;
  try {
    location = await client.authorizationUrl({ state, nonce, codeVerifier });
  } catch {
    await journal(
      deps.db,
      { ...meta, clock: deps.clock, actorUserId: null },
      {
        action: "auth.proconnect",
        targetType: "account",
        outcome: "failure",
        reason: "provider_unreachable",
      },
    );
    return { state: null, location: refusalPage("provider_unreachable") };
  }
  await saveLogin(deps.db, { state, nonce, codeVerifier, now: deps.clock.now() });
  return { state, location };
}
