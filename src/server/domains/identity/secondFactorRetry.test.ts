import { describe, expect, it } from "vitest";
import { hashToken, newToken } from "./rules";
import { sealCookies, unsealCookies } from "./secondFactorRetry";

describe("the cookies sealed at a second factor's promotion", () => {
  const pendingToken = newToken();
  const token = newToken();
  const cookies = { token, deviceToken: newToken() };
  const promotion = {
    pendingTokenHash: hashToken(pendingToken),
    activeTokenHash: hashToken(token),
    sealed: sealCookies(cookies, { pendingToken, code: "123 456", activeTokenHash: hashToken(token) }),
  };

  it("open with the same pending cookie and the same code, however it is spaced", () => {
    expect(unsealCookies(promotion, { pendingToken, code: "123456" })).toEqual(cookies);
    expect(promotion.sealed).not.toContain(token);
  });

  it("do not open with another code, another pending cookie, or moved to another row", () => {
    expect(unsealCookies(promotion, { pendingToken, code: "123457" })).toBeNull();
    const other = newToken();
    expect(unsealCookies(promotion, { pendingToken: other, code: "123456" })).toBeNull();
    expect(
      unsealCookies(
        { ...promotion, pendingTokenHash: hashToken(other) },
        { pendingToken: other, code: "123456" },
      ),
    ).toBeNull();
    expect(
      unsealCookies(
        { ...promotion, activeTokenHash: hashToken(newToken()) },
        { pendingToken, code: "123456" },
      ),
    ).toBeNull();
  });
});
