import { errors } from "../../../common/errors";
import { type Actor, hasRole } from "../../core/context";

/** Any role in the structure may see its overview and its aggregated figures. */
export function assertMember(actor: Actor, structureId: string): void {
  if (!actor.memberships.some((m) => m.structureId === structureId)) throw errors.access.forbidden();
}

/**
 * Membership management in a structure: its direction, or an administrator holding a membership
 * there. It acts on the memberships of that structure only, never on the account itself.
 */
export function assertManagesUsers(actor: Actor, structureId: string): void {
  if (!hasRole(actor, "service_manager", structureId) && !hasRole(actor, "admin", structureId)) {
    throw errors.access.forbidden();
  }
}

/** A platform administrator holds `admin` in any structure; only they disable an account. */
export function isPlatformAdmin(actor: Actor): boolean {
  return hasRole(actor, "admin");
}
