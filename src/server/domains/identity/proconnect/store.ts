import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../../../db/createDb";
import { proconnectLogin } from "../../../db/schema";
import { hashToken } from "../rules";

/** A login started more than this long ago is refused at its callback. */
export const PROCONNECT_LOGIN_TTL_MS = 10 * 60_000;

/** Records a login under way (and forgets those that expired). */
export async function saveLogin(
  db: Db,
  input: { state: string; nonce: string; codeVerifier: string; now: Date },
): Promise<void> {
  await db.delete(proconnectLogin).where(lt(proconnectLogin.expiresAt, input.now));
  await db.insert(proconnectLogin).values({
    stateHash: hashToken(input.state),
    nonce: input.nonce,
    codeVerifier: input.codeVerifier,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + PROCONNECT_LOGIN_TTL_MS),
  });
}

/** Takes the login of this state, once: a second callback with the same state finds nothing. */
export async function consumeLogin(
  db: Db,
  state: string,
  now: Date,
): Promise<{ nonce: string; codeVerifier: string } | null> {
  const [found] = await db
    .delete(proconnectLogin)
    .where(and(eq(proconnectLogin.stateHash, hashToken(state)), gt(proconnectLogin.expiresAt, now)))
    .returning({ nonce: proconnectLogin.nonce, codeVerifier: proconnectLogin.codeVerifier });
  return found ?? null;
}
