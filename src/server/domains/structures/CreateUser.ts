import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { errors } from "../../../common/errors";
import type { Role } from "../../../common/roles";
import type { CreateUserBody } from "../../../common/structures/structures.schema";
import { journalFor } from "../../core/audit";
import { hasRole, type RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { membership, service, user } from "../../db/schema";
import { hashPassword } from "../identity/passwords";
import { normalizeEmail } from "../identity/rules";
import { assertManagesUsers } from "./policies";

/** The direction may grant every role but `admin`, which only an administrator grants. */
export function grantableRoles(isAdmin: boolean): (role: Role) => boolean {
  return (role) => isAdmin || role !== "admin";
}

/** A random temporary password of 16 base64url characters (96 bits), to give to the agent. */
function temporaryPassword(): string {
  return randomBytes(12).toString("base64url");
}

/**
 * Creates an agent with roles in the structure, or adds the roles to an existing account with that
 * email (then no password is generated). One transaction; journaled.
 */
export async function createUser(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  input: CreateUserBody,
): Promise<{ userId: string; temporaryPassword: string | null }> {
  assertManagesUsers(ctx.actor, structureId);
  if (!input.roles.every(grantableRoles(hasRole(ctx.actor, "admin", structureId)))) {
    throw errors.user.roleNotGrantable();
  }
  const email = normalizeEmail(input.email);
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (tx) => {
    if (input.serviceId) {
      const [found] = await tx
        .select({ id: service.id })
        .from(service)
        .where(and(eq(service.id, input.serviceId), eq(service.structureId, structureId)));
      if (!found) throw errors.user.serviceNotInStructure();
    }
    const [existing] = await tx.select({ id: user.id }).from(user).where(eq(user.email, email));
    const userId =
      existing?.id ??
      (
        await tx
          .insert(user)
          .values({ email, displayName: input.displayName, passwordHash })
          .returning({ id: user.id })
      )[0]?.id;
    if (!userId) throw errors.request.internal();
    await tx
      .insert(membership)
      .values(input.roles.map((role) => ({ userId, structureId, role, serviceId: input.serviceId })))
      .onConflictDoNothing();
    await journalFor(tx, ctx, {
      action: existing ? "user.roles_added" : "user.created",
      targetType: "user",
      targetId: userId,
      structureId,
      reason: input.roles.join(","),
    });
    return { userId, temporaryPassword: existing ? null : password };
  });
}
