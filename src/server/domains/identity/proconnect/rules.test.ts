import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertsSecondFactor, PROCONNECT_2FA_ACRS, refusalOfError } from "./rules";

describe("assertsSecondFactor", () => {
  it("a password alone, or nothing said, is no second factor", () => {
    expect(assertsSecondFactor(["pwd"], "eidas1")).toBe(false);
    expect(assertsSecondFactor([], null)).toBe(false);
  });
  it("mfa, a one-time code or a key is; so are ProConnect's 2FA acr values", () => {
    expect(assertsSecondFactor(["pwd", "mfa"], "eidas1")).toBe(true);
    expect(assertsSecondFactor(["pwd", "otp"], null)).toBe(true);
    for (const acr of PROCONNECT_2FA_ACRS) expect(assertsSecondFactor(["pwd"], acr)).toBe(true);
  });
  it("adding methods never removes an asserted second factor (property)", () => {
    const method = fc.constantFrom("pwd", "mfa", "otp", "kba", "hwk", "sms", "tel", "user");
    fc.assert(
      fc.property(fc.array(method), fc.array(method), (amr, more) => {
        if (assertsSecondFactor(amr, null)) expect(assertsSecondFactor([...amr, ...more], null)).toBe(true);
      }),
    );
  });
});

describe("refusalOfError", () => {
  const wrapped = (code: string, cause: object) => Object.assign(new Error("x", { cause }), { code });
  it("names the claim or the check that failed, through openid-client's wrapping", () => {
    expect(refusalOfError(wrapped("OAUTH_JWT_CLAIM_COMPARISON_FAILED", { cause: { claim: "nonce" } }))).toBe(
      "nonce_mismatch",
    );
    expect(refusalOfError(wrapped("OAUTH_JWT_CLAIM_COMPARISON_FAILED", { cause: { claim: "aud" } }))).toBe(
      "id_token_invalid",
    );
    expect(refusalOfError(wrapped("OAUTH_JWT_TIMESTAMP_CHECK_FAILED", {}))).toBe("id_token_expired");
    expect(
      refusalOfError(wrapped("OAUTH_INVALID_RESPONSE", new Error("JWT signature verification failed"))),
    ).toBe("id_token_signature");
    expect(
      refusalOfError(
        wrapped("OAUTH_INVALID_RESPONSE", new Error('unexpected "iss" (issuer) response parameter value')),
      ),
    ).toBe("issuer_mismatch");
    expect(refusalOfError(new TypeError("fetch failed"))).toBe("provider_unreachable");
    expect(refusalOfError(undefined)).toBe("id_token_invalid");
  });
});
