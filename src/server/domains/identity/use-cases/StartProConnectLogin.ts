import * as oidc from "openid-client";
import type { Deps } from "../../../core/deps";
import type { ProConnectClient } from "../proconnect/client";
import { saveLogin } from "../proconnect/store";

/**
 * First leg of a ProConnect login (ADR 0023): a new state, nonce and PKCE verifier (43 characters
 * each, 256 random bits), kept server-side for 10 minutes; the browser keeps the state in a cookie
 * and is sent to ProConnect.
 */
export async function startProConnectLogin(
  deps: Deps,
  client: ProConnectClient,
): Promise<{ state: string; location: string }> {
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const location = await client.authorizationUrl({ state, nonce, codeVerifier });
  await saveLogin(deps.db, { state, nonce, codeVerifier, now: deps.clock.now() });
  return { state, location };
}
