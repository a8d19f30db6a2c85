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
  throttleKey,
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
    trustedDevice: false,
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

  it("does not slow down an account from a browser with its device cookie, but keeps the other limits", () => {
    const account = { failures: 500, latest: now };
    expect(loginVerdict(history({ account, trustedDevice: true }), now)).toEqual({ allowed: true });
    const pair = { failures: MAX_FAILURES_PER_ACCOUNT_AND_IP, oldest: now };
    expect(loginVerdict(history({ account, accountAndIp: pair, trustedDevice: true }), now)).toMatchObject({
      allowed: false,
      reason: "rate_limited",
    });
    const ip = { failures: MAX_FAILURES_PER_IP, oldest: now };
    expect(loginVerdict(history({ account, ip, trustedDevice: true }), now)).toMatchObject({
      allowed: false,
      reason: "rate_limited",
    });
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

describe("the per-IP throttle key", () => {
  const group = fc.integer({ min: 0, max: 0xffff });
  const groups = fc.array(group, { minLength: 8, maxLength: 8 });
  /** Full form, uppercase, leading zeros: the way least like Node's canonical form. */
  const full = (g: number[]) => g.map((n) => n.toString(16).padStart(4, "0").toUpperCase()).join(":");
  /** Node's canonical form (`::` for the longest run of zeros). */
  const canonical = (g: number[]) => new URL(`http://[${full(g)}]/`).hostname.slice(1, -1);

  it("is the same for every address of one IPv6 /64, whatever its spelling", () => {
    fc.assert(
      fc.property(groups, fc.array(group, { minLength: 4, maxLength: 4 }), (address, otherHost) => {
        const neighbour = [...address.slice(0, 4), ...otherHost];
        const key = throttleKey(full(address));
        expect(key).toBe(throttleKey(canonical(neighbour)));
        expect(key).toBe(throttleKey(`${canonical(address)}%eth0`));
        expect(key).toMatch(/::\/64$/);
      }),
    );
  });

  it("differs between two IPv6 /64 networks", () => {
    fc.assert(
      fc.property(groups, groups, (a, b) => {
        fc.pre(a.slice(0, 4).join() !== b.slice(0, 4).join());
        expect(throttleKey(canonical(a))).not.toBe(throttleKey(canonical(b)));
      }),
    );
  });

  it("is an IPv4 address itself, also when it comes IPv4-mapped in IPv6", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(throttleKey(ip)).toBe(ip);
        expect(throttleKey(`::ffff:${ip}`)).toBe(ip);
        expect(throttleKey(`::FFFF:${ip}`)).toBe(ip);
        expect(throttleKey(canonical([0, 0, 0, 0, 0, 0xffff, ...ipv4Groups(ip)]))).toBe(ip);
      }),
    );
  });

  it("examples", () => {
    expect(throttleKey("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe("2001:db8:85a3:8d3::/64");
    expect(throttleKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(throttleKey("::1")).toBe("0:0:0:0::/64");
    expect(throttleKey("::ffff:7f00:1")).toBe("127.0.0.1");
    expect(throttleKey("")).toBe("");
  });
});

function ipv4Groups(ip: string): [number, number] {
  const [a = 0, b = 0, c = 0, d = 0] = ip.split(".").map(Number);
  return [a * 256 + b, c * 256 + d];
}
