import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newToken } from "../domains/identity/rules";
import { SMS_WEBHOOK_TOKEN, startTestApp, type TestApp } from "../testing/testApp";
import { REDACTED, redactSecrets } from "./logRedaction";

describe("redactSecrets", () => {
  it.each([
    ["/api/webhooks/sms/s3cr3t-token", `/api/webhooks/sms/${REDACTED}`],
    ["/api/webhooks/sms/s3cr3t?x=1", `/api/webhooks/sms/${REDACTED}?x=1`],
    ["https://passerelle.example.fr/stop/AbCdEfGhJkMn", `https://passerelle.example.fr/stop/${REDACTED}`],
    ["/api/x?token=abc&page=2&CODE=123456", `/api/x?token=${REDACTED}&page=2&CODE=${REDACTED}`],
    ['{"url":"/login?password=hunter2","a":1}', `{"url":"/login?password=${REDACTED}","a":1}`],
    ["/api/stop?page=2", "/api/stop?page=2"],
    ["/api/people?search=benali&fileState=all", `/api/people?search=${REDACTED}&fileState=all`],
    [
      "/api/people/duplicates?structureId=s1&lastName=Benali&firstName=Karim&birthDate=1990-01-02&phone=0612345678",
      `/api/people/duplicates?structureId=s1&lastName=${REDACTED}&firstName=${REDACTED}&birthDate=${REDACTED}&phone=${REDACTED}`,
    ],
    [
      "/api/auth/proconnect/callback?code=c0de&state=St4te&iss=https%3A%2F%2Fidp",
      `/api/auth/proconnect/callback?code=${REDACTED}&state=${REDACTED}&iss=https%3A//idp`,
    ],
    [
      "/session/end?id_token_hint=eyJhbGci.x.y&state=s",
      `/session/end?id_token_hint=${REDACTED}&state=${REDACTED}`,
    ],
    [
      "à a@b.fr : Passerelle : activez votre compte https://p.example.fr/activation#Abc_D-123",
      `à a@b.fr : Passerelle : activez votre compte https://p.example.fr/activation#${REDACTED}`,
    ],
    ["/activation", "/activation"],
    [
      "à a@b.fr : Passerelle : choisir un nouveau mot de passe https://p.example.fr/nouveau-mot-de-passe#Xy_Z-987",
      `à a@b.fr : Passerelle : choisir un nouveau mot de passe https://p.example.fr/nouveau-mot-de-passe#${REDACTED}`,
    ],
    ["/nouveau-mot-de-passe", "/nouveau-mot-de-passe"],
  ])("%s", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it("never lets a one-time link's token through, whatever surrounds it", () => {
    const around = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(
        fc.constantFrom("activation", "nouveau-mot-de-passe"),
        around,
        fc.constantFrom("", " ", "\n", '"', "."),
        (page, before, after) => {
          const token = newToken();
          const line = `${before} https://p.example.fr/${page}#${token}${after}`;
          expect(redactSecrets(line)).not.toContain(token);
        },
      ),
    );
  });
});

describe("request logs at the default level", () => {
  const lines: string[] = [];
  const stopToken = "StopTokenAbCdEf";
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ logger: { level: "info", stream: { write: (line) => lines.push(line) } } });
    // An unexpected error whose message holds the URL: the error handler logs it.
    t.app.get("/api/webhooks/sms/:token/boom", async (req) => {
      throw new Error(`failed on ${req.url}`);
    });
    // A failed query's error carries its parameters (a person's data) in its message.
    t.app.get("/api/people/boom-query", async () => {
      throw new Error("Failed query: update person set phone = $1\nparams: 0699887766,Ombeline");
    });
  });
  afterAll(() => t.close());

  it("never hold the SMS webhook secret, stop-link tokens or secret query values", async () => {
    await t.app.inject({
      method: "POST",
      url: `/api/webhooks/sms/${SMS_WEBHOOK_TOKEN}`,
      payload: { event: "delivered", messageId: 1 },
    });
    await t.app.inject({ method: "POST", url: "/api/webhooks/sms/wrong-webhook-token-0123", payload: {} });
    await t.app.inject({ method: "GET", url: `/stop/${stopToken}` });
    await t.app.inject({ method: "GET", url: "/api/people?token=query-token-value&password=hunter2-value" });
    // A person's data in a query string: the people search and the duplicate check.
    await t.app.inject({ method: "GET", url: "/api/people?search=Zerbinati-Personne" });
    await t.app.inject({
      method: "GET",
      url: "/api/people/duplicates?lastName=Zerbinati-Personne&firstName=Ombeline&birthDate=1987-03-04&phone=0611223344",
    });
    // Variants a client can send: other case, encoded letters or slashes, doubled slashes.
    for (const url of [
      `/api/webhooks/%73ms/${SMS_WEBHOOK_TOKEN}`,
      `/api/Webhooks/SMS/${SMS_WEBHOOK_TOKEN}`,
      `/api/webhooks/sms%2F${SMS_WEBHOOK_TOKEN}`,
      `/api//webhooks//sms//${SMS_WEBHOOK_TOKEN}`,
      `/STOP/${stopToken}`,
      `/%73top/${stopToken}`,
      `/stop%2f${stopToken}`,
    ])
      await t.app.inject({ method: "POST", url, payload: {} });
    const boom = await t.app.inject({ method: "GET", url: `/api/webhooks/sms/${SMS_WEBHOOK_TOKEN}/boom` });
    expect(boom.statusCode).toBe(500);
    expect((await t.app.inject({ method: "GET", url: "/api/people/boom-query" })).statusCode).toBe(500);

    const log = lines.join("");
    expect(log).toContain("incoming request");
    expect(log).toContain("unexpected error");
    for (const secret of [
      SMS_WEBHOOK_TOKEN,
      "wrong-webhook-token-0123",
      stopToken,
      "query-token-value",
      "hunter2",
      "0699887766",
      "Ombeline",
      "Zerbinati",
      "Ombeline",
      "1987-03-04",
      "0611223344",
    ])
      expect(log).not.toContain(secret);
    expect(log).toContain(`"url":"/api/webhooks/sms/${REDACTED}"`);
    expect(log).toContain(`"url":"/stop/${REDACTED}"`);
    expect(log).toContain(`"url":"/api/people?token=${REDACTED}&password=${REDACTED}"`);
    expect(log).toContain(`failed on /api/webhooks/sms/${REDACTED}/boom`);
  });
});
