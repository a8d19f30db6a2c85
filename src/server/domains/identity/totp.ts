import { Secret, TOTP } from "otpauth";

/** RFC 6238 TOTP: 30-second steps, 6 digits, SHA-1 (what authenticator apps support). */
const PERIOD = 30;

function totpFor(secretBase32: string, label = ""): TOTP {
  return new TOTP({
    issuer: "Passerelle",
    label,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, label: string): string {
  return totpFor(secretBase32, label).toString();
}

export function totpCode(secretBase32: string, at: Date): string {
  return totpFor(secretBase32).generate({ timestamp: at.getTime() });
}

/**
 * Checks a code (±1 step of clock drift) and returns its time step, or null. The caller refuses a
 * step not greater than the last one used, so each code works once.
 */
export function matchTotp(
  secretBase32: string,
  code: string,
  at: Date,
  lastStep: number | null,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(at.getTime() / 1000 / PERIOD) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
