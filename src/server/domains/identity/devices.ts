import { and, eq, gt, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import { trustedDevice, user } from "../../db/schema";
import { hashToken, MAX_TRUSTED_DEVICE_ATTEMPTS, newToken, TRUSTED_DEVICE_DAYS } from "./rules";

/**
 * Device cookies (OWASP): a browser that completed a login, or activated the account, receives a
 * random token; only its SHA-256 is stored, with the account and an expiry. Presented at a later
 * login for that same account, it exempts the attempt from the cross-IP slowdown (not from the
 * per-pair or per-IP limits), MAX_TRUSTED_DEVICE_ATTEMPTS times until the next completed login
 * gives a new one. See ADR 0002.
 */
export async function trustDevice(
  db: Db,
  input: { userId: string; now: Date; replaces?: string | undefined },
): Promise<string> {
  const token = newToken();
  // The browser's previous token (if any) and this account's expired ones are no longer needed.
  const stale = lte(trustedDevice.expiresAt, input.now);
  await db
    .delete(trustedDevice)
    .where(
      input.replaces
        ? or(
            eq(trustedDevice.tokenHash, hashToken(input.replaces)),
            and(eq(trustedDevice.userId, input.userId), stale),
          )
        : and(eq(trustedDevice.userId, input.userId), stale),
    );
  await db.insert(trustedDevice).values({
    tokenHash: hashToken(token),
    userId: input.userId,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + TRUSTED_DEVICE_DAYS * 86_400_000),
  });
  return token;
}

/** Whether this device token was given to this account (by e-mail), has not expired nor been used up. */
export async function isTrustedDevice(
  db: Db,
  input: { email: string; token: string | undefined; now: Date },
): Promise<boolean> {
  if (!input.token) return false;
  const [row] = await db
    .select({ userId: trustedDevice.userId })
    .from(trustedDevice)
    .innerJoin(user, eq(user.id, trustedDevice.userId))
    .where(
      and(
        eq(trustedDevice.tokenHash, hashToken(input.token)),
        eq(user.email, input.email),
        gt(trustedDevice.expiresAt, input.now),
        lt(trustedDevice.attempts, MAX_TRUSTED_DEVICE_ATTEMPTS),
      ),
    );
  return row !== undefined;
}

/** Counts a login attempt the device cookie exempted, before the password is checked. */
export async function countDeviceAttempt(db: Db, token: string): Promise<void> {
  await db
    .update(trustedDevice)
    .set({ attempts: sql`${trustedDevice.attempts} + 1` })
    .where(eq(trustedDevice.tokenHash, hashToken(token)));
}
