import * as oidc from "openid-client";
import { isLocalHttp, type ProConnectSettings } from "../../../core/config";

/** ProConnect's scopes: the agent's e-mail, names, ProConnect id and organisation (SIRET). */
export const PROCONNECT_SCOPES = "openid email given_name usual_name uid siret";

/** What the callback learned from ProConnect, once the tokens and the user info are checked. */
export interface ProConnectIdentity {
  idToken: string;
  sub: string;
  email: string | null;
  /** `false` only when the provider says so; ProConnect vouches for the e-mails it sends. */
  emailVerified: boolean | null;
  amr: string[];
  acr: string | null;
}

export interface ProConnectClient {
  settings: ProConnectSettings;
  authorizationUrl(input: { state: string; nonce: string; codeVerifier: string }): Promise<string>;
  /** Checks the callback (state, PKCE, ID token signature, nonce, dates) and reads the user info. */
  complete(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<ProConnectIdentity>;
  endSessionUrl(input: { idToken: string; state: string }): Promise<string>;
}

/**
 * The ProConnect client (openid-client): discovery once, then cached; retried at the next login if
 * the provider could not be reached. ID token and user info signed RS256, as ProConnect does.
 */
export function proconnectClient(settings: ProConnectSettings): ProConnectClient {
  let configuration: Promise<oidc.Configuration> | null = null;
  const configured = (): Promise<oidc.Configuration> => {
    configuration ??= discover(settings).catch((error: unknown) => {
      configuration = null;
      throw error;
    });
    return configuration;
  };
  return {
    settings,
    authorizationUrl: async ({ state, nonce, codeVerifier }) => {
      const config = await configured();
      return oidc
        .buildAuthorizationUrl(config, {
          redirect_uri: settings.redirectUri,
          scope: PROCONNECT_SCOPES,
          state,
          nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: "S256",
          acr_values: settings.acrValues,
          claims: JSON.stringify({ id_token: { amr: { essential: true } } }),
        })
        .toString();
    },
    complete: async (callbackUrl, expected) => {
      const config = await configured();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new Error("no ID token");
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      const email = typeof info.email === "string" ? info.email : null;
      return {
        idToken: tokens.id_token,
        sub: claims.sub,
        email,
        emailVerified: typeof info.email_verified === "boolean" ? info.email_verified : null,
        amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [],
        acr: typeof claims.acr === "string" ? claims.acr : null,
      };
    },
    endSessionUrl: async ({ idToken, state }) => {
      const config = await configured();
      return oidc
        .buildEndSessionUrl(config, {
          id_token_hint: idToken,
          state,
          post_logout_redirect_uri: settings.postLogoutRedirectUri,
        })
        .toString();
    },
  };
}

async function discover(settings: ProConnectSettings): Promise<oidc.Configuration> {
  const local = isLocalHttp(settings.issuer);
  const config = await oidc.discovery(
    new URL(settings.issuer),
    settings.clientId,
    {
      id_token_signed_response_alg: "RS256",
      userinfo_signed_response_alg: "RS256",
      redirect_uris: [settings.redirectUri],
      response_types: ["code"],
    },
    oidc.ClientSecretPost(settings.clientSecret),
    // Plain http only for a provider on this machine (tests, development): the configuration refuses
    // it in production.
    local ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
  );
  // The ID token's signature is checked against ProConnect's published keys (JWKS), not only
  // trusted because it came over TLS: a token signed by anyone else is refused.
  oidc.enableNonRepudiationChecks(config);
  return config;
}
