import { randomBytes } from "node:crypto";
import { and, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { errors } from "../../../common/errors";
import type { Role } from "../../../common/roles";
import type { CreateUserBody } from "../../../common/structures/structures.schema";
import { journalFor } from "../../core/audit";
import { hasRole, type RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { inTransaction } from "../../core/transaction";
import type { Db } from "../../db/createDb";
import { membership, service, structure, user } from "../../db/schema";
import { accountNotices, sendAccountNotice, unknownActivation } from "../identity/accountNotices";
import { hashPassword } from "../identity/passwords";
import { normalizeEmail } from "../identity/rules";
import { assertMayManageMembership } from "./membershipTarget";
import { assertManagesUsers } from "./policies";
import { wasEverMemberOf } from "./queries";

/** The direction may grant every role but `admin`, which only an administrator grants. */
export function grantableRoles(isAdmin: boolean): (role: Role) => boolean {
  return (role) => isAdmin || role !== "admin";
}

/** Refuses roles the actor may not grant, and a service of another structure. */
export async function assertGrantable(
  tx: Db,
  ctx: RequestContext,
  structureId: string,
  input: { roles: Role[]; serviceId: string | null },
): Promise<void> {
  if (!input.roles.every(grantableRoles(hasRole(ctx.actor, "admin", structureId)))) {
    throw errors.user.roleNotGrantable();
  }
  if (input.serviceId) {
    const [found] = await tx
      .select({ id: service.id })
      .from(service)
      .where(and(eq(service.id, input.serviceId), eq(service.structureId, structureId)));
    if (!found) throw errors.user.serviceNotInStructure();
  }
}

/**
 * Grants the roles in the structure, re-opening ended rows of the same roles. A new row is an
 * invitation until the agent next signs in (`accepted_at`), unless the agent already accepted a
 * membership of the structure (a new role is no new invitation); `invitedName` is the name the
 * direction typed, shown meanwhile.
 */
export async function grantRoles(
  tx: Db,
  input: {
    userId: string;
    structureId: string;
    roles: Role[];
    serviceId: string | null;
    invitedName?: string | undefined;
    now: Date;
  },
): Promise<void> {
  const [accepted] = await tx
    .select({ id: membership.id })
    .from(membership)
    .where(
      and(
        eq(membership.userId, input.userId),
        eq(membership.structureId, input.structureId),
        isNotNull(membership.acceptedAt),
      ),
    )
    .limit(1);
  await tx
    .insert(membership)
    .values(
      input.roles.map((role) => ({
        userId: input.userId,
        structureId: input.structureId,
        role,
        serviceId: input.serviceId,
        invitedName: input.invitedName ?? null,
        acceptedAt: accepted ? input.now : null,
      })),
    )
    .onConflictDoUpdate({
      target: [membership.userId, membership.structureId, membership.role],
      set: {
        endedAt: null,
        endedReason: null,
        serviceId: sql`excluded.service_id`,
        invitedName: sql`coalesce(${membership.invitedName}, excluded.invited_name)`,
      },
    });
}

/** Whether the account holds a current (or pending) membership of another structure. */
export async function belongsElsewhere(tx: Db, userId: string, structureId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: membership.id })
    .from(membership)
    .where(
      and(eq(membership.userId, userId), ne(membership.structureId, structureId), isNull(membership.endedAt)),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Grants roles in the structure to the agent with that e-mail. The answer is the same whether
 * the account existed or not: a new account (or one never activated that belongs to no other
 * structure) receives an activation e-mail whose link the worker mints when it sends it; any
 * other gets a notice that it was added (an account of another structure activates with its own
 * link). An existing account is otherwise left as it is (a disabled one stays disabled). The
 * membership is an invitation until the agent signs in. One transaction; journaled.
 *
 * The same addition sent again (a retry after a lost answer, ADR 0036: every role already current
 * in the structure, with the same service) answers the same agent and writes nothing: no second
 * e-mail, whose link would end the first one's, no second journal row. An agent already a current
 * member (or invitee) of the structure gets no new e-mail for a role added here either: the first
 * one stands, and « Renvoyer l'invitation » is the way to send a new link. Two identical additions
 * at once: the second waits for the account's row (or runs again after the first created it) and
 * finds the first's roles.
 */
export async function createUser(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  input: CreateUserBody,
): Promise<{ userId: string }> {
  assertManagesUsers(ctx.actor, structureId);
  const email = normalizeEmail(input.email);
  // Adding roles to an agent the structure already knows follows the rules of every membership
  // change: never oneself, never an administrator's account (the same 404 as elsewhere).
  const [known] = await deps.db.select({ id: user.id }).from(user).where(eq(user.email, email));
  if (known && (await wasEverMemberOf(deps.db, known.id, structureId)))
    await assertMayManageMembership(deps, ctx, {
      structureId,
      userId: known.id,
      action: "membership.granted",
    });
  // Hashed in every case, so the answer takes as long whether the account exists or not.
  const unusableHash = await hashPassword(randomBytes(24).toString("base64url"));
  const now = ctx.clock.now();
  return inTransaction(
    deps.db,
    async (tx) => {
      await assertGrantable(tx, ctx, structureId, input);
      const [place] = await tx
        .select({ name: structure.name })
        .from(structure)
        .where(eq(structure.id, structureId));
      if (!place) throw errors.access.forbidden();
      const [existing] = await tx
        .select({ id: user.id, pendingActivation: user.activationTokenHash })
        .from(user)
        .where(eq(user.email, email))
        .for("update");
      const currentHere = existing
        ? await tx
            .select({ role: membership.role, serviceId: membership.serviceId })
            .from(membership)
            .where(
              and(
                eq(membership.userId, existing.id),
                eq(membership.structureId, structureId),
                isNull(membership.endedAt),
              ),
            )
        : [];
      if (
        existing &&
        input.roles.every((role) =>
          currentHere.some((m) => m.role === role && m.serviceId === input.serviceId),
        )
      )
        return { userId: existing.id };
      let userId = existing?.id;
      if (!userId) {
        const [created] = await tx
          .insert(user)
          .values({
            email,
            displayName: input.displayName,
            passwordHash: unusableHash,
            ...unknownActivation(now),
          })
          .returning({ id: user.id });
        userId = created?.id;
      }
      if (!userId) throw errors.request.internal();
      const needsActivation =
        !existing ||
        (existing.pendingActivation !== null && !(await belongsElsewhere(tx, userId, structureId)));
      await grantRoles(tx, {
        userId,
        structureId,
        roles: input.roles,
        serviceId: input.serviceId,
        invitedName: input.displayName,
        now,
      });
      if (currentHere.length === 0)
        await sendAccountNotice(tx, {
          structureId,
          to: { id: userId, email },
          message: needsActivation
            ? accountNotices.activation({ structureName: place.name })
            : accountNotices.addedToStructure({
                structureName: place.name,
                publicUrl: deps.config.PUBLIC_URL,
              }),
          now,
        });
      // One action whether the account existed or not: the journal is read by the direction too.
      await journalFor(tx, ctx, {
        action: "membership.granted",
        targetType: "user",
        targetId: userId,
        structureId,
        reason: input.roles.join(","),
      });
      return { userId };
    },
    { retryUniqueViolation: true },
  );
}
