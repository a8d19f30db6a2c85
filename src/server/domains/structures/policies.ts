import { errors } from "../../../common/errors";
import { type Actor, hasRole, structuresWithRole } from "../../core/context";

/** Any role in the structure may see its overview and its aggregated figures. */
export function assertMember(actor: Actor, structureId: string): void {
  if (!actor.memberships.some((m) => m.structureId === structureId)) throw errors.access.forbidden();
}

/**
 * Counts of people followed: the structure's agents and the steering; partners see only their
 * orientations, the mediation only its inbox, an administrator no person data (doc/product.md).
 */
const statsReaders = ["probation_officer", "counselor", "service_manager", "steering"] as const;

/**
 * The structure statistics: 403 to a role that reads them nowhere; to a reader, a structure where
 * they read none is a 404, whether it exists or not (as the reporting routes' structure filter,
 * ADR 0034), unless they are a member there with another role (403: they know it exists).
 */
export function assertReadsStats(actor: Actor, structureId: string): void {
  if (structuresWithRole(actor, ...statsReaders).length === 0) throw errors.access.forbidden();
  if (statsReaders.some((role) => hasRole(actor, role, structureId))) return;
  if (actor.memberships.some((m) => m.structureId === structureId)) throw errors.access.forbidden();
  throw errors.structure.notFound();
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
