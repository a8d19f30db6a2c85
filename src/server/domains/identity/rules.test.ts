import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./passwords";
import {
  ACCOUNT_SLOWDOWN_AFTER,
  ACCOUNT_SLOWDOWN_MAX_SECONDS,
  accountSlowdownSeconds,
  isSessionAlive,
  type LoginAttemptHistory,
  loginVerdict,
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
  const now = new Date("2026-06-01T08:00:00Z");
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const history = (over: Partial<LoginAttemptHistory> = {}): LoginAttemptHistory => ({
    accountAndIp: { failures: 0, oldest: null },
    ip: { failures: 0, oldest: null },
    account: { failures: 0, latest: null },
    trustedPair: false,
    ...over,
  });

  it("refuses at the per account+IP and per IP limits, until the oldest failure leaves the window", () => {
    fc.assert(
      fc.property(fc.nat(100), fc.nat(100), fc.integer({ min: 1, max: 899 }), (accountAndIp, ip, age) => {
        const verdict = loginVerdict(
          history({
            accountAndIp: { failures: accountAndIp, oldest: accountAndIp ? ago(age) : null },
            ip: { failures: ip, oldest: ip ? ago(age) : null },
          }),
          now,
        );
        const refused = accountAndIp >= MAX_FAILURES_PER_ACCOUNT_AND_IP || ip >= MAX_FAILURES_PER_IP;
        if (!refused) return verdict.allowed;
        return (
          !verdict.allowed && verdict.reason === "rate_limited" && verdict.retryAfterSeconds === 900 - age
        );
      }),
    );
  });

  it("slows an account down from 10 failures on: 1 s doubling at each failure, capped at 30 s", () => {
    expect([9, 10, 11, 12, 13, 14, 15, 40].map(accountSlowdownSeconds)).toEqual([0, 1, 2, 4, 8, 16, 30, 30]);
    fc.assert(
      fc.property(fc.nat(1000), (failures) => {
        const wait = accountSlowdownSeconds(failures);
        const next = accountSlowdownSeconds(failures + 1);
        return (
          wait <= next &&
          wait <= ACCOUNT_SLOWDOWN_MAX_SECONDS &&
          failures < ACCOUNT_SLOWDOWN_AFTER === (wait === 0) &&
          (next <= 2 * wait || wait === 0)
        );
      }),
    );
  });

  it("answers a slowed-down attempt with the seconds left, lets it through once they passed", () => {
    fc.assert(
      fc.property(fc.integer({ min: ACCOUNT_SLOWDOWN_AFTER, max: 200 }), fc.nat(60), (failures, elapsed) => {
        const verdict = loginVerdict(history({ account: { failures, latest: ago(elapsed) } }), now);
        const wait = accountSlowdownSeconds(failures);
        if (elapsed >= wait) return verdict.allowed;
        return (
          !verdict.allowed && verdict.reason === "slowed_down" && verdict.retryAfterSeconds === wait - elapsed
        );
      }),
    );
  });

  it("does not slow down an account from an IP it logged in from recently", () => {
    const account = { failures: 500, latest: now };
    expect(loginVerdict(history({ account }), now).allowed).toBe(false);
    expect(loginVerdict(history({ account, trustedPair: true }), now)).toEqual({ allowed: true });
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
