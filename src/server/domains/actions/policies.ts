import { type ActionKind, directionOnlyKinds } from "../../../common/actions/actions.schema";
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

/**
 * Who reads the steering committee's meetings (dates, places, minutes, decisions): its members with
 * an account — the structure's steering users — and the structure's agents who see its actions.
 */
export function assertMayReadCommittee(actor: Actor, structureId: string): void {
  if (![...VIEWERS, "steering" as const].some((role) => hasRole(actor, role, structureId)))
    throw errors.access.forbidden();
}

/**
 * The direction and the counselors organise actions and invite partners; the steering committee's
 * meetings are the direction's alone. Pass every kind concerned (the action's, and the one an edit
 * gives it).
 */
export function mayOrganise(actor: Actor, structureId: string, ...kinds: (ActionKind | string)[]): boolean {
  if (hasRole(actor, "service_manager", structureId)) return true;
  return hasRole(actor, "counselor", structureId) && !kinds.some((k) => directionOnly(k));
}

function directionOnly(kind: string): boolean {
  return (directionOnlyKinds as readonly string[]).includes(kind);
}

/** People are convoked by their CPIP (or the direction), through the convocation flow. */
export function mayConvoke(actor: Actor, structureId: string): boolean {
  return hasRole(actor, "probation_officer", structureId) || hasRole(actor, "service_manager", structureId);
}

/**
 * Attendance and outcomes are recorded by the counselors and the direction; the steering
 * committee's minutes by the direction alone.
 */
export function mayRecordOutcomes(actor: Actor, structureId: string, kind?: ActionKind | string): boolean {
  if (hasRole(actor, "service_manager", structureId)) return true;
  return hasRole(actor, "counselor", structureId) && !(kind !== undefined && directionOnly(kind));
}

/** Whether the agent sees every person convoked (counselors, direction) or only their own (CPIP). */
export function seesAllConvoked(actor: Actor, structureId: string): boolean {
  return mayRecordOutcomes(actor, structureId);
}
