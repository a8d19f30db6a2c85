import { errors } from "../../../common/errors";
import { type Actor, hasRole } from "../../core/context";

/** Slots are looked up by those who book or hold permanences: CPIP, counselors, the direction. */
export function assertMaySeeSlots(actor: Actor, structureId: string): void {
  const allowed = (["probation_officer", "counselor", "service_manager"] as const).some((r) =>
    hasRole(actor, r, structureId),
  );
  if (!allowed) throw errors.access.forbidden();
}

/** Statuses are set by the counselors and the direction of the structure, or by the person's referent. */
export function maySetStatus(actor: Actor, structureId: string, isReferentOrEditor: boolean): boolean {
  return (
    isReferentOrEditor ||
    hasRole(actor, "counselor", structureId) ||
    hasRole(actor, "service_manager", structureId)
  );
}

/** Opening rules, closures and absences are the direction's configuration. */
export function assertManagesOpenings(actor: Actor, structureId: string): void {
  if (!hasRole(actor, "service_manager", structureId)) throw errors.access.forbidden();
}

/** Visits (démarches, needs) are recorded by the structure's counselors and its direction. */
export function mayRecordVisits(actor: Actor, structureId: string): boolean {
  return hasRole(actor, "counselor", structureId) || hasRole(actor, "service_manager", structureId);
}
