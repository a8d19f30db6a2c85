import { createSign, generateKeyPairSync, type JsonWebKey, type KeyObject, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { PROCONNECT_SCOPES } from "../domains/identity/proconnect/client";

/** An agent as ProConnect knows them (its identity provider's answer). */
export interface ProConnectAgent {
  email: string;
  emailVerified?: boolean;
  givenName?: string;
  usualName?: string;
  /** What the agent's identity provider asserted: `["pwd"]` by default, `["pwd", "mfa"]` for 2FA. */
  amr?: string[];
  acr?: string;
}

/** How the next ID token is changed on its way to the client (a forged or broken provider). */
export interface Tampering {
  claims?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** Signed with a key the provider never published (same `kid`). */
  otherKey?: boolean;
}

export interface FakeProConnect {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's agents, by e-mail: the test adds and changes them. */
  agents: Map<string, ProConnectAgent>;
  /** Applied to the next ID token the token endpoint returns, then cleared. */
  tamperNext: Tampering | null;
  /** Logouts the provider completed (end-session with a valid id_token_hint). */
  logouts: number;
  /** What a browser does at the provider: login with this e-mail; returns the callback's URL. */
  signIn(authorizationUrl: string, email: string): Promise<string>;
  close(): Promise<void>;
}

const ACR_VALUES = [
  "eidas1",
  "https://proconnect.gouv.fr/assurance/self-asserted-2fa",
  "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
];

function rsaKey(): { privateKey: KeyObject; jwk: JsonWebKey } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey, jwk: privateKey.export({ format: "jwk" }) };
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString("base64url");

/** Re-signs a JWT (RS256) with its claims changed, as a forger or a broken provider would. */
function resign(jwt: string, tampering: Tampering, key: KeyObject): string {
  const [header = "", payload = ""] = jwt.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  const changed = tampering.claims ? tampering.claims(claims) : claims;
  const signingInput = `${header}.${base64url(JSON.stringify(changed))}`;
  const signature = createSign("RSA-SHA256").update(signingInput).sign(key);
  return `${signingInput}.${base64url(signature)}`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1 configured like ProConnect: authorization
 * code with PKCE, ProConnect's scopes and claims (`email`, `given_name`, `usual_name`, `uid`,
 * `siret`, `idp_id`), its `acr` values, ID token and user info signed RS256, RP-initiated logout.
 * Its login page asks only an e-mail (no password): the agents are those the test put in `agents`.
 */
export async function startFakeProConnect(options: {
  redirectUri: string;
  postLogoutRedirectUri: string;
}): Promise<FakeProConnect> {
  const signing = rsaKey();
  const other = rsaKey();
  const kid = randomUUID();
  const agents = new Map<string, ProConnectAgent>();
  const state: { tamperNext: Tampering | null; logouts: number } = { tamperNext: null, logouts: 0 };
  const clientId = `passerelle-${randomUUID()}`;
  const clientSecret = randomUUID() + randomUUID();
  let provider: Provider | null = null;

  const server = createServer((req, res) => {
    if (!provider) return res.writeHead(503).end();
    if (req.url?.startsWith("/interaction/")) return void interaction(provider, req, res);
    if (req.url?.startsWith("/token") && state.tamperNext) tamperTokenResponse(res, state.tamperNext);
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function tamperTokenResponse(res: ServerResponse, tampering: Tampering): void {
    state.tamperNext = null;
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      const body = JSON.parse(String(chunk)) as { id_token?: string };
      if (body.id_token)
        body.id_token = resign(
          body.id_token,
          tampering,
          tampering.otherKey ? other.privateKey : signing.privateKey,
        );
      const text = JSON.stringify(body);
      res.setHeader("content-length", Buffer.byteLength(text));
      return end(text);
    }) as ServerResponse["end"];
  }

  async function interaction(oidc: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await oidc.interactionDetails(req, res);
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        page(
          "Fournisseur d'identité de test",
          `<form method="post" action="/interaction/${details.uid}"><label for="email">Adresse électronique</label> <input id="email" name="email" type="email" autocomplete="off"> <button type="submit">Continuer</button></form>`,
        ),
      );
      return;
    }
    const email = (await formBody(req)).get("email")?.trim().toLowerCase() ?? "";
    const agent = agents.get(email) ?? { email };
    agents.set(email, agent);
    await oidc.interactionFinished(req, res, {
      login: { accountId: email, amr: agent.amr ?? ["pwd"], acr: agent.acr ?? "eidas1" },
    });
  }

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_post",
        id_token_signed_response_alg: "RS256",
        userinfo_signed_response_alg: "RS256",
      },
    ],
    jwks: { keys: [{ ...signing.jwk, kid, alg: "RS256", use: "sig" } as never] },
    scopes: PROCONNECT_SCOPES.split(" "),
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ["sub"],
      email: ["email", "email_verified"],
      given_name: ["given_name"],
      usual_name: ["usual_name"],
      uid: ["uid"],
      siret: ["siret"],
      idp_id: ["idp_id"],
    },
    acrValues: ACR_VALUES,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      claimsParameter: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // ProConnect logs the agent out without asking: the form submits itself.
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.body = page(
            "Déconnexion",
            `${form.replace("</form>", '<input type="hidden" name="logout" value="yes"></form>')}<script>document.forms[0].submit()</script>`,
          );
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const agent = agents.get(sub);
      if (!agent) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: agent.email,
          email_verified: agent.emailVerified ?? true,
          given_name: agent.givenName ?? "Camille",
          usual_name: agent.usualName ?? "Agent",
          uid: sub,
          siret: "13002526500013",
          idp_id: "fia1v2",
        }),
      };
    },
    // The agent's consent is ProConnect's business: the grant covers every scope at once.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
      grant.addOIDCScope(PROCONNECT_SCOPES);
      grant.addOIDCClaims(["amr", "acr"]);
      await grant.save();
      return grant;
    },
    cookies: { keys: [randomUUID()] },
    ttl: {
      AuthorizationCode: 60,
      Interaction: 600,
      Grant: 3600,
      Session: 3600,
      AccessToken: 600,
      IdToken: 600,
    },
  };
  provider = new Provider(issuer, configuration);
  provider.on("end_session.success", () => {
    state.logouts += 1;
  });

  return {
    issuer,
    clientId,
    clientSecret,
    agents,
    get tamperNext() {
      return state.tamperNext;
    },
    set tamperNext(value) {
      state.tamperNext = value;
    },
    get logouts() {
      return state.logouts;
    },
    signIn: (authorizationUrl, email) => browse(authorizationUrl, email),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Follows the provider's redirects like a browser (cookies kept) up to the client's callback. */
async function browse(authorizationUrl: string, email: string): Promise<string> {
  const jar = new Map<string, string>();
  const origin = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 10; hop += 1) {
    if (!url.startsWith(origin)) return url;
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      body,
      redirect: "manual",
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const [name = "", ...value] = pair.split("=");
      jar.set(name.trim(), value.join("="));
    }
    const location = response.headers.get("location");
    body = undefined;
    if (location) url = new URL(location, url).toString();
    else if (response.status === 200 && url.includes("/interaction/")) body = new URLSearchParams({ email });
    else throw new Error(`provider answered ${response.status} at ${url}: ${await response.text()}`);
  }
  throw new Error("too many redirects at the provider");
}
