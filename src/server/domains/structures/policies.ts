import { errors } from "../../../common/errors";
import { type Actor, hasRole } from "../../core/context";

/** Any role in the structure may see its overview and its aggregated figures. */
export function assertMember(actor: Actor, structureId: string): void {
  if (!actor.memberships.some((m) => m.structureId === structureId)) throw errors.access.forbidden();
}

/** User management: the structure's direction, or its platform administrator. */
export function assertManagesUsers(actor: Actor, structureId: string): void {
  if (!hasRole(actor, "service_manager", structureId) && !hasRole(actor, "admin", structureId)) {
    throw errors.access.forbidden();
  }
}
