import { errors } from "../../../common/errors";
import type { Role } from "../../../common/roles";
import { type Actor, hasRole, structuresWithRole } from "../../core/context";

/** Agents who see a structure's collective actions: CPIP, counselors, the direction. */
const VIEWERS: Role[] = ["probation_officer", "counselor", "service_manager"];

export function viewableStructures(actor: Actor): string[] {
  return structuresWithRole(actor, ...VIEWERS);
}

export function assertMaySeeActions(actor: Actor, structureId: string): void {
  if (!VIEWERS.some((role) => hasRole(actor, role, structureId))) throw errors.access.forbidden();
}

/** The direction and the counselors organise actions and invite partners. */
export function mayOrganise(actor: Actor, structureId: string): boolean {
  return hasRole(actor, "service_manager", structureId) || hasRole(actor, "counselor", structureId);
}

/** People are convoked by their CPIP (or the direction), through the convocation flow. */
export function mayConvoke(actor: Actor, structureId: string): boolean {
  return hasRole(actor, "probation_officer", structureId) || hasRole(actor, "service_manager", structureId);
}

/** Attendance and outcomes are recorded by the counselors and the direction. */
export function mayRecordOutcomes(actor: Actor, structureId: string): boolean {
  return hasRole(actor, "counselor", structureId) || hasRole(actor, "service_manager", structureId);
}

/** Whether the agent sees every person convoked (counselors, direction) or only their own (CPIP). */
export function seesAllConvoked(actor: Actor, structureId: string): boolean {
  return mayRecordOutcomes(actor, structureId);
}
