import { and, eq, gt, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Actor, Membership } from "../../core/context";
import { type Db, preparedRowsOf } from "../../db/createDb";
import { authAttempt, membership, partner, session, structure, user } from "../../db/schema";
import { isTrustedDevice } from "./devices";
import {
  hashToken,
  LOGIN_WINDOW_MINUTES,
  type LoginAttemptHistory,
  newToken,
  TRUSTED_PAIR_DAYS,
  throttleKey,
} from "./rules";

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
      /** Its département: the web tells public holidays with it (Alsace-Moselle has two more). */
      structureDepartement: structure.departement,
      role: membership.role,
      serviceId: membership.serviceId,
      partnerId: membership.partnerId,
      /** A partner referent works for their organisation: its name heads their pages. */
      partnerName: partner.name,
    })
    .from(membership)
    .innerJoin(structure, eq(structure.id, membership.structureId))
    .leftJoin(partner, eq(partner.id, membership.partnerId))
    .where(and(eq(membership.userId, userId), isNull(membership.endedAt)))
    .orderBy(structure.name, membership.role);
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
    /** A ProConnect login's ID token, for its logout (ADR 0023). */
    proconnectIdToken?: string | null;
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
    proconnectIdToken: input.proconnectIdToken ?? null,
  });
  return { token, csrfToken };
}

/**
 * The session of a token with its agent and the agent's current memberships (as `loadMemberships` reads
 * them), in one prepared statement: this runs before every API request (issue 12). Undefined when
 * the token is unknown.
 */
export async function findSession(db: Db, token: string) {
  const [row] = await preparedRowsOf<{
    tokenHash: string;
    userId: string;
    stage: SessionStage;
    csrfToken: string;
    lastSeenMs: number;
    expiresMs: number;
    disabled: boolean;
    mustChangePassword: boolean;
    hasTotp: boolean;
    displayName: string;
    memberships: Membership[];
  }>(
    db,
    sql`select s.token_hash as "tokenHash", s.user_id as "userId", s.stage, s.csrf_token as "csrfToken",
      (extract(epoch from s.last_seen_at) * 1000)::float8 as "lastSeenMs",
      (extract(epoch from s.expires_at) * 1000)::float8 as "expiresMs",
      u.disabled_at is not null as disabled, u.must_change_password as "mustChangePassword",
      u.totp_secret is not null as "hasTotp", u.display_name as "displayName",
      coalesce((
        select json_agg(json_build_object('structureId', m.structure_id, 'role', m.role,
          'serviceId', m.service_id, 'partnerId', m.partner_id) order by st.name, m.role)
        from membership m join structure st on st.id = m.structure_id
        where m.user_id = s.user_id and m.ended_at is null
      ), '[]'::json) as memberships
    from session s join "user" u on u.id = s.user_id
    where s.token_hash = ${hashToken(token)}`,
  );
  if (!row) return undefined;
  const { lastSeenMs, expiresMs, displayName, memberships, ...rest } = row;
  return {
    ...rest,
    lastSeenAt: new Date(lastSeenMs),
    expiresAt: new Date(expiresMs),
    actor: { userId: row.userId, displayName, memberships } satisfies Actor,
  };
}

/** A full session whose agent was given a role that needs a second factor they have not enrolled. */
export async function requireEnrolment(db: Db, tokenHash: string): Promise<void> {
  await db
    .update(session)
    .set({ stage: "enrolment_required" })
    .where(and(eq(session.tokenHash, tokenHash), eq(session.stage, "active")));
}

export async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.update(session).set({ lastSeenAt: now }).where(eq(session.tokenHash, tokenHash));
}

/** Deletes the session; its ProConnect ID token, if it had one, is returned for the logout. */
export async function deleteSession(
  db: Db,
  tokenHash: string,
): Promise<{ proconnectIdToken: string | null; userId: string | null }> {
  const [deleted] = await db
    .delete(session)
    .where(eq(session.tokenHash, tokenHash))
    .returning({ proconnectIdToken: session.proconnectIdToken, userId: session.userId });
  return { proconnectIdToken: deleted?.proconnectIdToken ?? null, userId: deleted?.userId ?? null };
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.delete(session).where(eq(session.userId, userId));
}

/**
 * Counts one attempt at the second factor on a pending session, unless the cap is reached: one
 * statement, so concurrent codes cannot all be compared. Returns the attempts so far, or null when
 * the cap was already reached (or the session is gone) and the code must not be compared.
 */
export async function countTotpAttempt(db: Db, tokenHash: string, cap: number): Promise<number | null> {
  const [row] = await db
    .update(session)
    .set({ totpFailures: sql`${session.totpFailures} + 1` })
    .where(and(eq(session.tokenHash, tokenHash), lt(session.totpFailures, cap)))
    .returning({ attempts: session.totpFailures });
  return row?.attempts ?? null;
}

/** Gives back an attempt counted by `countTotpAttempt` that proved right (a proof of identity). */
export async function releaseTotpAttempt(db: Db, tokenHash: string): Promise<void> {
  await db
    .update(session)
    .set({ totpFailures: sql`greatest(${session.totpFailures} - 1, 0)` })
    .where(eq(session.tokenHash, tokenHash));
}

/**
 * Serializes the login attempts at one account and from one IP until the end of the transaction
 * (advisory locks, also on PGlite), so counting and recording an attempt is atomic. Always account
 * first, then IP: no two transactions wait for each other in a cycle. Here and below, "IP" is the
 * address's `throttleKey` (an IPv6 address's /64), which is what `auth_attempt.ip` holds.
 */
export async function lockLoginAttempts(tx: Db, input: { email: string; ip: string }): Promise<void> {
  await lockAttempts(tx, "login", `account:${input.email}`);
  await lockAttempts(tx, "login", `ip:${throttleKey(input.ip)}`);
}

export type AttemptKind =
  | "login"
  | "totp"
  | "activation"
  | "recovery_request"
  | "recovery"
  | "invitation"
  | "sms_stop";

/** Serializes the attempts of one kind at one key (an account, an IP) until the end of the transaction. */
export async function lockAttempts(tx: Db, kind: AttemptKind, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${kind}:${key}`}, 0))`);
}

/**
 * Takes the lock of an IP's attempts of one kind (held to the end of the transaction) and counts its
 * failures in the last window: what every link looked up without login (activation, recovery,
 * invitation, SMS stop) checks against its cap before looking.
 */
export async function lockedIpFailures(tx: Db, kind: AttemptKind, ip: string, now: Date): Promise<number> {
  await lockAttempts(tx, kind, throttleKey(ip));
  const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000);
  return countRecentFailures(tx, { kind, ip, since });
}

/** Failures of one kind since `since`, for an account (`email`) or from an IP. */
export async function countRecentFailures(
  db: Db,
  input: { kind: AttemptKind; since: Date } & ({ email: string } | { ip: string }),
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(authAttempt)
    .where(
      and(
        eq(authAttempt.kind, input.kind),
        "email" in input ? eq(authAttempt.email, input.email) : eq(authAttempt.ip, throttleKey(input.ip)),
        eq(authAttempt.success, false),
        gt(authAttempt.at, input.since),
      ),
    );
  return row?.n ?? 0;
}

/** A login fully completed (second factor included) from this IP: the pair becomes trusted. */
export async function recordTrustedLogin(
  db: Db,
  input: { email: string; ip: string; at: Date },
): Promise<void> {
  await db
    .insert(authAttempt)
    .values({ ...input, ip: throttleKey(input.ip), kind: "login", success: true, trusted: true });
}

/** Records an attempt as a failure before the password is checked (so it counts while in flight). */
export async function recordLoginAttempt(
  db: Db,
  input: { email: string; ip: string; at: Date; kind?: AttemptKind },
): Promise<number> {
  const [row] = await db
    .insert(authAttempt)
    .values({ ...input, ip: throttleKey(input.ip), success: false })
    .returning({ id: authAttempt.id });
  if (!row) throw new Error("auth_attempt insert returned nothing");
  return row.id;
}

/** The attempt was right; `trusted` when it completed the login (no second factor left to pass). */
export async function markLoginAttemptSucceeded(db: Db, attemptId: number, trusted = false): Promise<void> {
  await db.update(authAttempt).set({ success: true, trusted }).where(eq(authAttempt.id, attemptId));
}

/** What the journal of attempts says about an attempt at this account from this IP (see rules.ts). */
export async function loginAttemptHistory(
  db: Db,
  input: { email: string; ip: string; now: Date; deviceToken?: string | undefined },
): Promise<LoginAttemptHistory> {
  const since = new Date(input.now.getTime() - LOGIN_WINDOW_MINUTES * 60_000);
  const trustedSince = new Date(input.now.getTime() - TRUSTED_PAIR_DAYS * 86_400_000);
  const ip = throttleKey(input.ip);
  const pair = and(eq(authAttempt.email, input.email), eq(authAttempt.ip, ip));
  const [lastSuccess] = await db
    .select({ at: sql<Date | null>`max(${authAttempt.at})`.mapWith(authAttempt.at) })
    .from(authAttempt)
    .where(
      and(
        pair,
        eq(authAttempt.kind, "login"),
        eq(authAttempt.trusted, true),
        gt(authAttempt.at, trustedSince),
      ),
    );
  const lastPairSuccess = lastSuccess?.at ?? null;
  const pairSince = lastPairSuccess && lastPairSuccess > since ? lastPairSuccess : since;
  const failed = (where: SQL | undefined) => and(where, eq(authAttempt.success, false));
  const pairFailed = failed(and(pair, gt(authAttempt.at, pairSince)));
  const ipFailed = failed(eq(authAttempt.ip, ip));
  const accountFailed = failed(eq(authAttempt.email, input.email));
  const [row] = await db
    .select({
      pairFailures: sql<number>`count(*) filter (where ${pairFailed})`.mapWith(Number),
      pairOldest: sql<Date | null>`min(${authAttempt.at}) filter (where ${pairFailed})`.mapWith(
        authAttempt.at,
      ),
      ipFailures: sql<number>`count(*) filter (where ${ipFailed})`.mapWith(Number),
      ipOldest: sql<Date | null>`min(${authAttempt.at}) filter (where ${ipFailed})`.mapWith(authAttempt.at),
      accountFailures: sql<number>`count(*) filter (where ${accountFailed})`.mapWith(Number),
      accountLatest: sql<Date | null>`max(${authAttempt.at}) filter (where ${accountFailed})`.mapWith(
        authAttempt.at,
      ),
    })
    .from(authAttempt)
    .where(
      and(
        eq(authAttempt.kind, "login"),
        or(eq(authAttempt.email, input.email), eq(authAttempt.ip, ip)),
        gt(authAttempt.at, since),
      ),
    );
  return {
    accountAndIp: { failures: row?.pairFailures ?? 0, oldest: row?.pairOldest ?? null },
    ip: { failures: row?.ipFailures ?? 0, oldest: row?.ipOldest ?? null },
    account: { failures: row?.accountFailures ?? 0, latest: row?.accountLatest ?? null },
    trustedPair: lastPairSuccess !== null,
    trustedDevice: await isTrustedDevice(db, {
      email: input.email,
      token: input.deviceToken,
      now: input.now,
    }),
  };
}

/** The agent signed in (or activated their account): their pending invitations are accepted. */
export async function acceptInvitations(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .update(membership)
    .set({ acceptedAt: now })
    .where(and(eq(membership.userId, userId), isNull(membership.acceptedAt)));
}
