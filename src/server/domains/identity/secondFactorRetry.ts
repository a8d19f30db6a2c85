import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Deps, RequestMeta } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { session } from "../../db/schema";
import { hashToken, isSessionAlive, normalizeRecoveryCode } from "./rules";
import { openSession } from "./sessions";
import { deleteSession } from "./store";

/**
 * A second factor's answer lost on its way (ADR 0036, addendum 2026-12-06). The pending session is
 * not deleted when its code is accepted: it is kept this long, marked with the full session it
 * became, and holds that session's cookie (and the device cookie given with it) sealed under a key
 * only the pending cookie and the code give. The same code sent again with the same pending cookie
 * gets the same cookies again; anything else learns nothing from the row (the database keeps only
 * the pending token's SHA-256, from which the key cannot be derived). The first enrolment of a
 * second factor, which also turns a waiting session into a full one, keeps its row the same way, and
 * seals with the cookies the recovery codes it showed.
 */
export const SECOND_FACTOR_RETRY_SECONDS = 120;

/** The cookies a passed second factor gives. */
export interface SecondFactorCookies {
  token: string;
  deviceToken: string;
}

/** What a promotion seals: its cookies, and for a first enrolment the recovery codes it showed. */
export interface SealedAnswer extends SecondFactorCookies {
  recoveryCodes?: string[];
}

/** What a promoted pending session keeps: the full session it became, and its sealed cookies. */
export interface Promotion {
  pendingTokenHash: string;
  activeTokenHash: string;
  sealed: string;
  /** The full session is still open (not logged out, expired, nor deleted with its agent). */
  activeAlive: boolean;
}

const KEY_LABEL = "passerelle/second-factor-retry";

/** The code as compared: a TOTP code's digits, a recovery code's letters and digits. */
function keyOf(pendingToken: string, code: string): Buffer {
  return createHmac("sha256", pendingToken)
    .update(`${KEY_LABEL}\0${normalizeRecoveryCode(code)}`)
    .digest();
}

/** The sealed cookies name both sessions, so that they cannot be moved to another row. */
const boundTo = (pendingTokenHash: string, activeTokenHash: string): Buffer =>
  Buffer.from(`${pendingTokenHash}>${activeTokenHash}`);

export function sealCookies(
  cookies: SealedAnswer,
  input: { pendingToken: string; code: string; activeTokenHash: string },
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(input.pendingToken, input.code), iv);
  cipher.setAAD(boundTo(hashToken(input.pendingToken), input.activeTokenHash));
  const body = Buffer.concat([cipher.update(JSON.stringify(cookies), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The cookies sealed at the promotion, or null for another code or another pending cookie. */
export function unsealCookies(
  promotion: Pick<Promotion, "pendingTokenHash" | "activeTokenHash" | "sealed">,
  input: { pendingToken: string; code: string },
): SealedAnswer | null {
  if (hashToken(input.pendingToken) !== promotion.pendingTokenHash) return null;
  const bytes = Buffer.from(promotion.sealed, "base64url");
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      keyOf(input.pendingToken, input.code),
      bytes.subarray(0, 12),
    );
    decipher.setAAD(boundTo(promotion.pendingTokenHash, promotion.activeTokenHash));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
    const cookies = JSON.parse(plain) as SealedAnswer;
    return hashToken(cookies.token) === promotion.activeTokenHash ? cookies : null;
  } catch {
    // Another key (another code): the authentication tag does not match.
    return null;
  }
}

/**
 * Replaces a pending session by a new full one (new token, the ProConnect ID token moved to it) and
 * keeps the pending row for SECOND_FACTOR_RETRY_SECONDS as the way back to it (see above). The
 * pending row's ProConnect ID token is moved, not copied: logging the pending cookie out then ends
 * nothing but that row. An enrolment's recovery codes are sealed with the cookies.
 */
export async function promoteKeepingRetry(
  tx: Db,
  deps: Deps,
  input: {
    pendingToken: string;
    code: string;
    deviceToken: string;
    userId: string;
    now: Date;
    meta: RequestMeta;
    recoveryCodes?: string[];
  },
): Promise<string> {
  const pendingTokenHash = hashToken(input.pendingToken);
  const [pending] = await tx
    .select({ proconnectIdToken: session.proconnectIdToken })
    .from(session)
    .where(eq(session.tokenHash, pendingTokenHash));
  const token = await openSession(tx, deps, {
    userId: input.userId,
    stage: "active",
    now: input.now,
    meta: input.meta,
    proconnectIdToken: pending?.proconnectIdToken ?? null,
  });
  const activeTokenHash = hashToken(token);
  await tx
    .update(session)
    .set({
      promotedTo: activeTokenHash,
      promotedTokens: sealCookies(
        {
          token,
          deviceToken: input.deviceToken,
          ...(input.recoveryCodes ? { recoveryCodes: input.recoveryCodes } : {}),
        },
        { pendingToken: input.pendingToken, code: input.code, activeTokenHash },
      ),
      expiresAt: new Date(input.now.getTime() + SECOND_FACTOR_RETRY_SECONDS * 1000),
      proconnectIdToken: null,
    })
    .where(eq(session.tokenHash, pendingTokenHash));
  return token;
}

/** The promotion of a pending session, if its code was accepted already. */
export async function promotionOf(
  db: Db,
  pendingTokenHash: string,
  now: Date,
  idleMinutes: number,
): Promise<Promotion | null> {
  const active = alias(session, "active");
  const [row] = await db
    .select({
      activeTokenHash: active.tokenHash,
      sealed: session.promotedTokens,
      lastSeenAt: active.lastSeenAt,
      expiresAt: active.expiresAt,
    })
    .from(session)
    .innerJoin(active, eq(active.tokenHash, session.promotedTo))
    .where(eq(session.tokenHash, pendingTokenHash));
  if (!row?.sealed) return null;
  return {
    pendingTokenHash,
    activeTokenHash: row.activeTokenHash,
    sealed: row.sealed,
    activeAlive: isSessionAlive(row, now, idleMinutes),
  };
}

/**
 * The code of a pending session already promoted, sent again: the same code with the same cookie,
 * while the full session lives, gets what the first answer gave. Anything else closes that way back
 * (the kept row is deleted) and gets null: the caller answers as a pending session that no longer
 * exists (401, the password again), as every retry was before.
 */
export async function answerAgain(
  db: Db,
  promotion: Promotion,
  input: { pendingToken: string; code: string },
): Promise<SealedAnswer | null> {
  const answer = promotion.activeAlive ? unsealCookies(promotion, input) : null;
  if (!answer) await deleteSession(db, promotion.pendingTokenHash);
  return answer;
}
