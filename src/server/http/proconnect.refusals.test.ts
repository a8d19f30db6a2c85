import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { user } from "../db/schema";
import { REDIRECT_URI, withProConnectHarness } from "../testing/proconnectHarness";
import { demo } from "../testing/testApp";

/** Every refused ProConnect callback goes back to a French page and leaves a journal row (ADR 0023). */
const h = withProConnectHarness();

describe("ProConnect refusals, each journaled", () => {
  it("a callback whose state is not the browser's (or without the browser's cookie)", async () => {
    const { authorizationUrl, stateCookie } = await h.start();
    const callbackUrl = await h.provider.signIn(authorizationUrl, demo.cpip);
    await h.expectRefused(
      await h.callback(callbackUrl, `${stateCookie}x`),
      "state_mismatch",
      "/connexion/proconnect/echec",
    );
    await h.expectRefused(
      await h.callback(callbackUrl, null),
      "state_mismatch",
      "/connexion/proconnect/echec",
    );
  });

  it("a replayed state: the second callback finds no login under way", async () => {
    const { authorizationUrl, stateCookie } = await h.start();
    const callbackUrl = await h.provider.signIn(authorizationUrl, demo.cpip);
    expect((await h.callback(callbackUrl, stateCookie)).headers.location).toBe("/");
    await h.expectRefused(
      await h.callback(callbackUrl, stateCookie),
      "state_unknown",
      "/connexion/proconnect/echec",
    );
  });

  it("a login started more than 10 minutes before its callback", async () => {
    const { authorizationUrl, stateCookie } = await h.start();
    const callbackUrl = await h.provider.signIn(authorizationUrl, demo.cpip);
    h.t.clock.advance(10 * 60_000 + 1_000);
    try {
      await h.expectRefused(
        await h.callback(callbackUrl, stateCookie),
        "state_unknown",
        "/connexion/proconnect/echec",
      );
    } finally {
      h.t.clock.advance(-(10 * 60_000 + 1_000));
    }
  });

  it("a forged response (a code and state the provider never gave)", async () => {
    const forged = `${REDIRECT_URI}?code=forged-code&state=${"s".repeat(43)}&iss=${h.provider.issuer}`;
    await h.expectRefused(
      await h.callback(forged, "s".repeat(43)),
      "state_unknown",
      "/connexion/proconnect/echec",
    );
  });

  it("a forged code with this browser's real state: the provider refuses to exchange it", async () => {
    const { stateCookie } = await h.start();
    const forged = `${REDIRECT_URI}?code=forged-code&state=${stateCookie}&iss=${encodeURIComponent(h.provider.issuer)}`;
    await h.expectRefused(
      await h.callback(forged, stateCookie),
      "token_exchange_failed",
      "/connexion/proconnect/echec",
    );
  });

  it("a response claiming to come from another issuer", async () => {
    const { authorizationUrl, stateCookie } = await h.start();
    const callbackUrl = new URL(await h.provider.signIn(authorizationUrl, demo.cpip));
    callbackUrl.searchParams.set("iss", "https://faux-proconnect.example.fr");
    await h.expectRefused(
      await h.callback(callbackUrl.toString(), stateCookie),
      "issuer_mismatch",
      "/connexion/proconnect/echec",
    );
  });

  it("an ID token with another nonce", async () => {
    h.provider.tamperNext = {
      claims: (claims) => ({ ...claims, nonce: "another-nonce-0123456789012345678901" }),
    };
    await h.expectRefused(await h.signIn(demo.cpip), "nonce_mismatch", "/connexion/proconnect/echec");
  });

  it("an expired ID token", async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    h.provider.tamperNext = {
      claims: (claims) => ({ ...claims, iat: past, exp: past + 60, auth_time: past }),
    };
    await h.expectRefused(await h.signIn(demo.cpip), "id_token_expired", "/connexion/proconnect/echec");
  });

  it("an ID token signed with a key the provider did not publish", async () => {
    h.provider.tamperNext = { otherKey: true };
    await h.expectRefused(await h.signIn(demo.cpip), "id_token_signature", "/connexion/proconnect/echec");
  });

  it("an e-mail the provider says is not verified", async () => {
    h.provider.agents.set(demo.counselor, { email: demo.counselor, emailVerified: false });
    await h.expectRefused(
      await h.signIn(demo.counselor),
      "email_unverified",
      "/connexion/proconnect/adresse-non-verifiee",
    );
  });

  it("an e-mail without an account in Passerelle: never created on the fly", async () => {
    const email = "agent.inconnu@justice.fr";
    await h.expectRefused(await h.signIn(email), "unknown_account", "/connexion/proconnect/compte-inconnu");
    expect(await h.t.handle.db.select().from(user).where(eq(user.email, email))).toEqual([]);
  });

  it("a disabled account", async () => {
    await h.t.handle.db.update(user).set({ disabledAt: h.t.clock.now() }).where(eq(user.email, demo.partner));
    await h.expectRefused(await h.signIn(demo.partner), "disabled", "/connexion/proconnect/compte-desactive");
  });

  it("an error sent back by the provider", async () => {
    const { stateCookie } = await h.start();
    const url = `${REDIRECT_URI}?error=access_denied&state=${stateCookie}`;
    await h.expectRefused(
      await h.callback(url, stateCookie),
      "provider_error",
      "/connexion/proconnect/echec",
    );
  });
});
