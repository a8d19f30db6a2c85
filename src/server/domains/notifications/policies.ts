import { errors } from "../../../common/errors";
import { type Actor, hasRole } from "../../core/context";

/** The notification log, templates and settings are the structure's direction's. */
export function assertManagesNotifications(actor: Actor, structureId: string): void {
  if (!hasRole(actor, "service_manager", structureId)) throw errors.access.forbidden();
}
