import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Actor } from "../../core/context";
import type { Db } from "../../db/createDb";
import { authAttempt, membership, session, structure, user } from "../../db/schema";
import { hashToken, LOGIN_WINDOW_MINUTES, newToken } from "./rules";

export type SessionStage = "totp_pending" | "enrolment_required" | "active";

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db.select().from(user).where(eq(user.email, email));
  return row;
}

export async function findUserById(db: Db, userId: string) {
  const [row] = await db.select().from(user).where(eq(user.id, userId));
  return row;
}

/** The current memberships: an ended one gives no right any more, from the next request on. */
export async function loadMemberships(db: Db, userId: string) {
  return db
    .select({
      structureId: membership.structureId,
      structureName: structure.name,
      role: membership.role,
      serviceId: membership.serviceId,
      partnerId: membership.partnerId,
    })
    .from(membership)
    .innerJoin(structure, eq(structure.id, membership.structureId))
    .where(and(eq(membership.userId, userId), isNull(membership.endedAt)))
    .orderBy(structure.name, membership.role);
}

export async function loadActor(db: Db, userId: string): Promise<Actor | undefined> {
  const found = await findUserById(db, userId);
  if (!found || found.disabledAt) return undefined;
  const memberships = await loadMemberships(db, userId);
  return {
    userId,
    displayName: found.displayName,
    memberships: memberships.map(({ structureName: _, ...m }) => m),
  };
}

export async function createSession(
  db: Db,
  input: {
    userId: string;
    stage: SessionStage;
    now: Date;
    absoluteHours: number;
    ip: string;
    userAgent: string;
  },
): Promise<{ token: string; csrfToken: string }> {
  const token = newToken();
  const csrfToken = newToken();
  await db.insert(session).values({
    tokenHash: hashToken(token),
    userId: input.userId,
    stage: input.stage,
    csrfToken,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.absoluteHours * 3_600_000),
    ip: input.ip,
    userAgent: input.userAgent.slice(0, 300),
  });
  return { token, csrfToken };
}

export async function findSession(db: Db, token: string) {
  const [row] = await db
    .select({ session, disabledAt: user.disabledAt })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(eq(session.tokenHash, hashToken(token)));
  return row;
}

export async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.update(session).set({ lastSeenAt: now }).where(eq(session.tokenHash, tokenHash));
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(session).where(eq(session.tokenHash, tokenHash));
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.delete(session).where(eq(session.userId, userId));
}

export async function incrementTotpFailures(db: Db, tokenHash: string): Promise<number> {
  const [row] = await db
    .update(session)
    .set({ totpFailures: sql`${session.totpFailures} + 1` })
    .where(eq(session.tokenHash, tokenHash))
    .returning({ failures: session.totpFailures });
  return row?.failures ?? 0;
}

export async function recordLoginAttempt(
  db: Db,
  input: { email: string; ip: string; success: boolean; at: Date },
): Promise<void> {
  await db.insert(authAttempt).values(input);
}

/** Failures in the sliding window, for this account from this IP and for this IP overall. */
export async function countRecentFailures(
  db: Db,
  input: { email: string; ip: string; now: Date },
): Promise<{ accountAndIp: number; ip: number }> {
  const since = new Date(input.now.getTime() - LOGIN_WINDOW_MINUTES * 60_000);
  const [lastSuccess] = await db
    .select({ at: sql<Date | null>`max(${authAttempt.at})` })
    .from(authAttempt)
    .where(
      and(eq(authAttempt.email, input.email), eq(authAttempt.ip, input.ip), eq(authAttempt.success, true)),
    );
  const pairSince = lastSuccess?.at && new Date(lastSuccess.at) > since ? new Date(lastSuccess.at) : since;
  const [pair] = await db
    .select({ n: count() })
    .from(authAttempt)
    .where(
      and(
        eq(authAttempt.email, input.email),
        eq(authAttempt.ip, input.ip),
        eq(authAttempt.success, false),
        gt(authAttempt.at, pairSince),
      ),
    );
  const [byIp] = await db
    .select({ n: count() })
    .from(authAttempt)
    .where(and(eq(authAttempt.ip, input.ip), eq(authAttempt.success, false), gt(authAttempt.at, since)));
  return { accountAndIp: pair?.n ?? 0, ip: byIp?.n ?? 0 };
}
