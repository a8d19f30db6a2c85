import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./passwords";
import {
  isLoginThrottled,
  isSessionAlive,
  MAX_FAILURES_PER_ACCOUNT_AND_IP,
  MAX_FAILURES_PER_IP,
  newRecoveryCodes,
  normalizeRecoveryCode,
  passwordProblem,
} from "./rules";
import { matchTotp, newTotpSecret, totpCode } from "./totp";

describe("password policy", () => {
  it("refuses fewer than 12 characters", () => {
    expect(passwordProblem("Court-1!")).toMatch(/au moins 12 caractères/);
  });
  it.each(["qwerty123456", "motdepasse2024", "azertyuiopqs", "aaaaaaaaaaaaaa", "Soleil123456!"])(
    "refuses the common or guessable %s",
    (password) => {
      expect(passwordProblem(password)).not.toBeNull();
    },
  );
  it("refuses a password containing the account name", () => {
    expect(passwordProblem("camille.martin-velo-rouge", { email: "camille.martin@x.fr" })).toMatch(
      /identifiant/,
    );
  });
  it("accepts a long passphrase without composition rules", () => {
    expect(passwordProblem("cheval agrafe pile correcte")).toBeNull();
  });
  it("accepts every long random passphrase of letters (no composition rules)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{6}-[a-z]{6}-[a-z]{6}$/), (password) => {
        fc.pre(new Set(password).size > 2);
        return passwordProblem(password) === null || /courant/.test(passwordProblem(password) ?? "");
      }),
    );
  });
});

describe("argon2id hashing", () => {
  it("hashes with argon2id and verifies", async () => {
    const hashed = await hashPassword("une phrase de passe solide");
    expect(hashed.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(hashed, "une phrase de passe solide")).toBe(true);
    expect(await verifyPassword(hashed, "une autre phrase de passe")).toBe(false);
    expect(await verifyPassword(null, "n'importe quoi")).toBe(false);
  });
});

describe("session timeouts", () => {
  const start = new Date("2026-06-01T08:00:00Z");
  const session = { lastSeenAt: start, expiresAt: new Date(start.getTime() + 12 * 3_600_000) };
  it("lives 29 minutes idle, not 30", () => {
    expect(isSessionAlive(session, new Date(start.getTime() + 29 * 60_000), 30)).toBe(true);
    expect(isSessionAlive(session, new Date(start.getTime() + 30 * 60_000), 30)).toBe(false);
  });
  it("dies after 12 hours even when active", () => {
    const active = { ...session, lastSeenAt: new Date(start.getTime() + 12 * 3_600_000 - 1000) };
    expect(isSessionAlive(active, new Date(start.getTime() + 12 * 3_600_000), 30)).toBe(false);
  });
});

describe("login throttling", () => {
  it("throttles at the per account+IP and per IP limits only", () => {
    fc.assert(
      fc.property(fc.nat(100), fc.nat(100), (accountAndIp, ip) => {
        const expected = accountAndIp >= MAX_FAILURES_PER_ACCOUNT_AND_IP || ip >= MAX_FAILURES_PER_IP;
        return isLoginThrottled({ accountAndIp, ip }) === expected;
      }),
    );
  });
});

describe("TOTP", () => {
  const secret = newTotpSecret();
  const at = new Date("2026-06-01T08:00:10Z");
  it("accepts the current code once: the same step is refused afterwards", () => {
    const code = totpCode(secret, at);
    const step = matchTotp(secret, code, at, null);
    expect(step).not.toBeNull();
    expect(matchTotp(secret, code, at, step)).toBeNull();
  });
  it("accepts the previous 30-second step, refuses older codes", () => {
    expect(matchTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at, null)).not.toBeNull();
    expect(matchTotp(secret, totpCode(secret, new Date(at.getTime() - 90_000)), at, null)).toBeNull();
  });
  it("refuses malformed codes", () => {
    expect(matchTotp(secret, "12345", at, null)).toBeNull();
    expect(matchTotp(secret, "abcdef", at, null)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("makes 10 distinct codes that normalize regardless of case and dashes", () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    const first = codes[0]!;
    expect(normalizeRecoveryCode(first.toLowerCase())).toBe(normalizeRecoveryCode(first));
    expect(normalizeRecoveryCode(first)).toHaveLength(10);
  });
});
