import { createHash, randomBytes } from "node:crypto";
import { dictionary as commonDictionary } from "@zxcvbn-ts/language-common";
import { dictionary as frDictionary } from "@zxcvbn-ts/language-fr";
import { type Role, rolesRequiringTotp } from "../../../common/roles";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const commonPasswords = new Set(commonDictionary["passwords-common"].map((p) => p.toLowerCase()));
const commonWords = new Set(
  [...frDictionary["commonWords-fr"], ...frDictionary["firstnames-fr"], "motdepasse", "passerelle"].map((w) =>
    w.toLowerCase(),
  ),
);
const keyboardRuns = [
  "azertyuiopqsdfghjklmwxcvbn",
  "qwertyuiopasdfghjklzxcvbnm",
  "01234567890",
  "09876543210",
];

/**
 * Password policy (ANSSI / NIST 800-63B): length, not composition. Returns a French reason when
 * refused, null when accepted. No forced rotation.
 */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Le mot de passe doit contenir au plus ${PASSWORD_MAX_LENGTH} caractères.`;
  }
  const lower = password.toLowerCase();
  const base = lower.replace(/[\d\W_]+$/u, "").replace(/^[\d\W_]+/u, "");
  if (commonPasswords.has(lower) || commonPasswords.has(base) || commonWords.has(base) || base.length < 3) {
    return "Ce mot de passe est trop courant : choisissez une phrase de passe propre à vous.";
  }
  if (new Set(lower).size <= 2 || keyboardRuns.some((run) => run.includes(lower))) {
    return "Ce mot de passe est trop facile à deviner.";
  }
  const localPart = context.email?.split("@")[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) {
    return "Le mot de passe ne doit pas contenir votre identifiant.";
  }
  return null;
}

/** Session timeouts: 30 min idle, 12 h absolute (configurable). */
export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
}
export function isSessionAlive(session: SessionTimes, now: Date, idleMinutes: number): boolean {
  return now < session.expiresAt && now.getTime() - session.lastSeenAt.getTime() < idleMinutes * 60_000;
}

export function requiresTotp(userRoles: readonly Role[]): boolean {
  return userRoles.some((r) => rolesRequiringTotp.includes(r));
}

/** Opaque tokens: 256 random bits; only their SHA-256 is stored. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Recovery codes: 10 codes of 10 base32 characters (50 bits each), shown once, stored hashed. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** Rate limits on failed logins, over a sliding window (no permanent lockout). ADR 0002. */
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 5;
export const MAX_FAILURES_PER_IP = 30;
/** Past this many failures for one account from any IPs, each attempt waits a growing delay. */
export const ACCOUNT_SLOWDOWN_AFTER = 10;
export const ACCOUNT_SLOWDOWN_MAX_SECONDS = 30;
/** An (account, IP) pair that logged in within this many days is not slowed down by others' failures. */
export const TRUSTED_PAIR_DAYS = 30;
/** A browser's device cookie, given at a completed login or an activation, lasts this many days. */
export const TRUSTED_DEVICE_DAYS = 90;
/** Login attempts a device cookie exempts until the next completed login renews it (a stolen one). */
export const MAX_TRUSTED_DEVICE_ATTEMPTS = 5;
/** Attempts (right or wrong) at the second factor on one pending session. */
export const MAX_TOTP_FAILURES_PER_SESSION = 5;
/** Wrong second-factor codes for one account over the login window, across its sessions. */
export const MAX_TOTP_FAILURES_PER_ACCOUNT = 10;
/** Invalid activation links tried from one IP over the login window. */
export const MAX_ACTIVATION_FAILURES_PER_IP = 10;
/** "Mot de passe oublié": how long a link stays valid, and how often one may be asked for. */
export const RECOVERY_LINK_MINUTES = 60;
export const RECOVERY_WINDOW_MINUTES = 60;
/** Requests from one IP per window, whatever the address typed (past it: 429). */
export const MAX_RECOVERY_REQUESTS_PER_IP = 10;
/** E-mails to one account per window (past it: the same answer, and nothing is sent). */
export const MAX_RECOVERY_MAILS_PER_ACCOUNT = 3;
/** Invalid recovery links tried from one IP per login window (past it: 429). */
export const MAX_RECOVERY_FAILURES_PER_IP = 10;

/** What the journal of attempts says about one login attempt, counted in the window. */
export interface LoginAttemptHistory {
  /** Failures of this account from this IP since its last success, and the oldest of them. */
  accountAndIp: { failures: number; oldest: Date | null };
  /** Failures from this IP, any account. */
  ip: { failures: number; oldest: Date | null };
  /** Failures of this account from any IP, and the latest of them. */
  account: { failures: number; latest: Date | null };
  /** This account logged in from this IP within TRUSTED_PAIR_DAYS. */
  trustedPair: boolean;
  /**
   * The attempt carries a device cookie this account was given (TRUSTED_DEVICE_DAYS), that has
   * exempted fewer than MAX_TRUSTED_DEVICE_ATTEMPTS attempts since.
   */
  trustedDevice: boolean;
}

export type LoginRefusal = {
  allowed: false;
  reason: "rate_limited" | "slowed_down";
  retryAfterSeconds: number;
};
export type LoginVerdict = { allowed: true } | LoginRefusal;

/**
 * Seconds an attempt at an account must wait after that account's latest failure: none up to
 * ACCOUNT_SLOWDOWN_AFTER failures in the window, then 1 s doubling at each failure, capped at 30 s.
 */
export function accountSlowdownSeconds(accountFailures: number): number {
  if (accountFailures < ACCOUNT_SLOWDOWN_AFTER) return 0;
  return Math.min(2 ** (accountFailures - ACCOUNT_SLOWDOWN_AFTER), ACCOUNT_SLOWDOWN_MAX_SECONDS);
}

/** Whether a login attempt may reach the password check now; when not, how long to wait. */
export function loginVerdict(history: LoginAttemptHistory, now: Date): LoginVerdict {
  const windowEnd = (oldest: Date | null) =>
    secondsUntil(oldest ? oldest.getTime() + LOGIN_WINDOW_MINUTES * 60_000 : now.getTime(), now);
  if (history.accountAndIp.failures >= MAX_FAILURES_PER_ACCOUNT_AND_IP)
    return {
      allowed: false,
      reason: "rate_limited",
      retryAfterSeconds: windowEnd(history.accountAndIp.oldest),
    };
  if (history.ip.failures >= MAX_FAILURES_PER_IP)
    return { allowed: false, reason: "rate_limited", retryAfterSeconds: windowEnd(history.ip.oldest) };
  const trusted = history.trustedPair || history.trustedDevice;
  const wait = trusted ? 0 : accountSlowdownSeconds(history.account.failures);
  const latest = history.account.latest?.getTime() ?? 0;
  if (wait > 0 && now.getTime() < latest + wait * 1000)
    return {
      allowed: false,
      reason: "slowed_down",
      retryAfterSeconds: secondsUntil(latest + wait * 1000, now),
    };
  return { allowed: true };
}

function secondsUntil(at: number, now: Date): number {
  return Math.max(1, Math.ceil((at - now.getTime()) / 1000));
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 and `::` expanded), or null. */
function ipv6Groups(address: string): number[] | null {
  const text = address.replace(/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, (dotted, ...bytes) => {
    const [a, b, c, d] = bytes.slice(0, 4).map(Number) as [number, number, number, number];
    return [a, b, c, d].every((byte) => byte <= 255)
      ? `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
      : dotted;
  });
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (!part) return [];
    const groups = part.split(":");
    return groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))
      ? groups.map((group) => Number.parseInt(group, 16))
      : null;
  };
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  if (!head || !tail) return null;
  const known = head.length + tail.length;
  if (halves.length === 2 ? known > 7 : known !== 8) return null;
  return [...head, ...new Array<number>(8 - known).fill(0), ...tail];
}

/**
 * What per-IP counters (login throttling) are keyed on: an IPv4 address as is; an IPv6 address's
 * /64 network, since one subscriber holds a whole /64 and could otherwise change address at each
 * attempt; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address. Anything else (no
 * address) is kept as given. The journal keeps the full address.
 */
export function throttleKey(ip: string): string {
  const address = ip.trim().toLowerCase().split("%")[0] ?? "";
  if (!address.includes(":")) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 255, low >> 8, low & 255].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}
