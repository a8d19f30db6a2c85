import { describe, expect, it } from "vitest";
import { ConfigError, configWarnings, loadConfig, proconnectSettings } from "./config";

const testDocumentKey = `k1:${Buffer.alloc(32, 7).toString("base64")}`;

/** A complete production environment: what every start in production requires. */
const productionEnv = {
  NODE_ENV: "production",
  PUBLIC_URL: "https://passerelle.example.fr",
  SMTP_URL: "smtp://mail.example.fr:25",
  DOCUMENT_KEYS: testDocumentKey,
} as const;

/** `productionEnv` but one variable, to show that a start in production requires it. */
const productionWithout = (name: keyof typeof productionEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(productionEnv).filter(([key]) => key !== name));

describe("configuration", () => {
  it("defaults to the embedded database on port 3000", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PUBLIC_URL).toBe("http://localhost:3000");
  });
  it("stops with a message naming each wrong variable", () => {
    expect(() => loadConfig({ PORT: "abc", DATABASE_URL: "mysql://x" })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: "abc", DATABASE_URL: "mysql://x" });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/DATABASE_URL/);
    }
  });
  it("lists every problem at once, one line per variable, saying whether it is missing or wrong", () => {
    let message = "";
    try {
      loadConfig({ NODE_ENV: "production", PORT: "abc", DOCUMENT_KEYS: "k1:trop-courte" });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    const lines = message.split("\n").slice(1);
    expect(lines.map((line) => line.match(/^ {2}- (\w+):/)?.[1]).sort()).toEqual([
      "DOCUMENT_KEYS",
      "PORT",
      "PUBLIC_URL",
      "SMTP_URL",
    ]);
    expect(lines.find((line) => line.includes("SMTP_URL"))).toMatch(/obligatoire .*\(absente \/ missing\)$/);
    expect(lines.find((line) => line.includes("PORT"))).toMatch(/\(valeur invalide \/ invalid value\)$/);
    expect(lines.find((line) => line.includes("DOCUMENT_KEYS"))).toMatch(/32 octets/);
  });
  it("reads an empty variable (`SMTP_URL=` in an environment file) as unset", () => {
    const config = loadConfig({ DATABASE_URL: "", MIGRATION_DATABASE_URL: " ", PORT: "", SMTP_URL: "" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.MIGRATION_DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(() =>
      loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://p.example.fr", SMTP_URL: "" }),
    ).toThrow(/SMTP_URL: obligatoire .*\(absente \/ missing\)/);
  });
  it("requires PUBLIC_URL in production: links sent to people never point at localhost", () => {
    expect(() => loadConfig(productionWithout("PUBLIC_URL"))).toThrow(
      /PUBLIC_URL: obligatoire avec NODE_ENV=production/,
    );
    expect(loadConfig(productionEnv).PUBLIC_URL).toBe("https://passerelle.example.fr");
    expect(loadConfig({}).PUBLIC_URL).toBe("http://localhost:3000");
  });
  it("requires SMTP_URL in production, so e-mails (activation links included) never go to the log", () => {
    expect(() => loadConfig(productionWithout("SMTP_URL"))).toThrow(/SMTP_URL: obligatoire/);
    expect(loadConfig(productionEnv).SMTP_URL).toBe("smtp://mail.example.fr:25");
    expect(loadConfig({ NODE_ENV: "development" }).SMTP_URL).toBeUndefined();
    // A public https address is a real deployment even when NODE_ENV was forgotten.
    expect(() => loadConfig({ PUBLIC_URL: "https://passerelle.example.fr" })).toThrow(/SMTP_URL/);
  });
  it("warns, in French, of Brevo in production without the receipts' token (no refusal: an intranet server gets none)", () => {
    const production = {
      ...productionEnv,
      MAIL_FROM: "France services <ne-pas-repondre@passerelle.example.fr>",
      SMS_PROVIDER: "brevo",
      BREVO_API_KEY: "xkeysib-test",
    } as const;
    const [warning, ...others] = configWarnings(loadConfig(production));
    expect(others).toEqual([]);
    expect(warning).toContain("SMS_PROVIDER=brevo sans SMS_WEBHOOK_TOKEN");
    expect(warning).toContain("deux fois");
    expect(configWarnings(loadConfig({ ...production, SMS_WEBHOOK_TOKEN: "a".repeat(24) }))).toEqual([]);
    expect(configWarnings(loadConfig({ ...production, SMS_PROVIDER: "log" }))).toEqual([]);
    // Development: receipts rarely reach a laptop, no warning.
    expect(configWarnings(loadConfig({ SMS_PROVIDER: "brevo", BREVO_API_KEY: "k" }))).toEqual([]);
  });
  it("warns, in French, of a production server sending from the default `.localhost` sender", () => {
    expect(configWarnings(loadConfig(productionEnv))).toEqual([
      expect.stringMatching(/^ATTENTION : MAIL_FROM n'est pas défini : .*passerelle\.localhost/),
    ]);
    expect(
      configWarnings(loadConfig({ ...productionEnv, MAIL_FROM: "SPIP 77 <fs@spip77.example.fr>" })),
    ).toEqual([]);
    // Development: the e-mails are only printed, no warning.
    expect(configWarnings(loadConfig({}))).toEqual([]);
  });
  it("requires the documents' encryption key in production, well formed", () => {
    expect(() => loadConfig(productionWithout("DOCUMENT_KEYS"))).toThrow(/DOCUMENT_KEYS/);
    expect(() => loadConfig({ ...productionEnv, DOCUMENT_KEYS: "k1:trop-courte" })).toThrow(/32 octets/);
    expect(loadConfig(productionEnv).DOCUMENT_KEYS).toBe(testDocumentKey);
    expect(loadConfig({}).DOCUMENT_KEYS).toBeUndefined();
  });
  it("configures ProConnect all or nothing, with the callback and logout addresses under PUBLIC_URL", () => {
    expect(proconnectSettings(loadConfig({}))).toBeNull();
    const complete = {
      PROCONNECT_ISSUER: "https://auth.agentconnect.gouv.fr/api/v2",
      PROCONNECT_CLIENT_ID: "client",
      PROCONNECT_CLIENT_SECRET: "secret",
    };
    expect(proconnectSettings(loadConfig({ ...complete, PUBLIC_URL: "http://localhost:3000/" }))).toEqual({
      issuer: complete.PROCONNECT_ISSUER,
      clientId: "client",
      clientSecret: "secret",
      redirectUri: "http://localhost:3000/api/auth/proconnect/callback",
      postLogoutRedirectUri: "http://localhost:3000/connexion",
      acrValues: "eidas1",
    });
    for (const missing of Object.keys(complete)) {
      const partial: Record<string, string> = { ...complete };
      delete partial[missing];
      expect(() => loadConfig(partial)).toThrow(new RegExp(missing));
    }
    expect(() => loadConfig({ PROCONNECT_REDIRECT_URI: "https://x.fr/cb" })).toThrow(/PROCONNECT_ISSUER/);
  });
  it("accepts a plain-http ProConnect issuer only on this machine and never in production", () => {
    const local = { PROCONNECT_CLIENT_ID: "c", PROCONNECT_CLIENT_SECRET: "s" };
    expect(loadConfig({ ...local, PROCONNECT_ISSUER: "http://127.0.0.1:4000" }).PROCONNECT_ISSUER).toBe(
      "http://127.0.0.1:4000",
    );
    expect(() => loadConfig({ ...local, PROCONNECT_ISSUER: "http://idp.example.fr" })).toThrow(
      /PROCONNECT_ISSUER/,
    );
    expect(() =>
      loadConfig({
        ...local,
        PROCONNECT_ISSUER: "http://127.0.0.1:4000",
        ...productionEnv,
      }),
    ).toThrow(/PROCONNECT_ISSUER/);
  });
  it("trusts no proxy by default, and the listed addresses and CIDR ranges of TRUST_PROXY", () => {
    expect(loadConfig({}).TRUST_PROXY).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: " 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,loopback" }).TRUST_PROXY).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
      "loopback",
    ]);
  });
  it.each(["*", "true", "10.0.0.0/33", "proxy.example.fr", "10.0.0.1/8/2"])(
    "refuses TRUST_PROXY=%s",
    (value) => {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    },
  );
  it("takes the owner's URL for migrations only with the server's URL, and bounded timeouts", () => {
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: "postgres://owner@db/p" })).toThrow(/DATABASE_URL/);
    const config = loadConfig({
      DATABASE_URL: "postgres://passerelle_app@db/p",
      MIGRATION_DATABASE_URL: "postgres://owner@db/p",
    });
    expect(config).toMatchObject({ DB_STATEMENT_TIMEOUT_MS: 10_000, REQUEST_TIMEOUT_MS: 15_000 });
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: "0" })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
  });
});
